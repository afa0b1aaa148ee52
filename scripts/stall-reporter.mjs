// A vitest reporter that says which test files and tests are still running when nothing has finished for a while,
// so a run that hangs (a worker blocked in synchronous code cannot time out its own test) names the culprit in the log.
const QUIET_MS = Number(process.env.MULTIBANK_STALL_REPORT_MS || 180_000);

export default class StallReporter {
  running = new Map(); // moduleId -> { since, test }
  lastProgress = Date.now();
  timer = null;

  onInit() {
    this.timer = setInterval(() => this.check(), Math.min(QUIET_MS, 60_000));
    this.timer.unref();
  }
  onTestModuleStart(m) { this.running.set(m.moduleId, { since: Date.now(), test: null, project: m.project.name }); }
  onTestCaseReady(t) {
    const r = this.running.get(t.module.moduleId);
    if (r) r.test = { name: t.fullName, since: Date.now() };
  }
  onTestCaseResult() { this.lastProgress = Date.now(); }
  onTestModuleEnd(m) { this.running.delete(m.moduleId); this.lastProgress = Date.now(); }
  onTestRunEnd() { clearInterval(this.timer); }

  check() {
    const now = Date.now();
    if (now - this.lastProgress < QUIET_MS || this.running.size === 0) return;
    const s = (t) => `${Math.round((now - t) / 1000)} s`;
    console.log(`\n[stall] no test has finished for ${s(this.lastProgress)}; still running:`);
    for (const [file, r] of this.running) {
      console.log(`[stall]   ${r.project} ${file.replace(process.cwd() + '/', '')} (for ${s(r.since)})${r.test ? ` › ${r.test.name} (for ${s(r.test.since)})` : ''}`);
    }
    this.lastProgress = now; // say it again only after another quiet stretch
  }
}
