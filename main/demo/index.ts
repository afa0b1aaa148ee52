// Demo mode: start the sandbox world (sandbox/cli.ts) in a child process and hand back one ProviderConfig-like
// entry per aggregator. main/ never imports sandbox/: it only runs it, so a packaged app (no sandbox/) fails cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../domain/errors.js';

export interface DemoProviderConfig {
  provider: string;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** every option as a string (ProviderConfig.options) */
  options: Record<string, string>;
  /** demo bank logins the emulator lists, for display */
  logins: Array<{ bank?: string; username?: string; password?: string }>;
}

export interface DemoSandbox {
  /** one entry per aggregator emulator the sandbox serves */
  providers: DemoProviderConfig[];
  /** the same, by provider name */
  configs: Record<string, DemoProviderConfig>;
  /** base URL of the control API */
  control: string;
  /** the whole JSON line the sandbox printed */
  raw: Record<string, unknown>;
  pid: number | undefined;
  /** settles when the sandbox process has ended (stopped, or by itself) */
  exited: Promise<void>;
  /** kill the sandbox (SIGTERM, then SIGKILL after 3 s); resolves when it has exited */
  stop(): Promise<void>;
}

export interface DemoSandboxOptions {
  /** where to look for the project root (walks up to the folder holding sandbox/cli.ts) */
  cwd: string;
  seed?: number;
  /** give up when the sandbox prints nothing within this (default 60 s) */
  timeoutMs?: number;
  /** extra CLI arguments, e.g. ['--bulk', '100000'] */
  args?: string[];
  /** keep the demo world in this file (the data dir's), so a restarted sandbox is the same world (sandbox/core/persist.ts) */
  stateFile?: string;
  /** a new world starts at this instant (default: this process's clock); a saved world keeps its own clock */
  now?: Date;
}

/** The project root holding sandbox/cli.ts and node_modules/tsx, or undefined (packaged app). */
export function findSandboxRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'sandbox', 'cli.ts')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function hasTsx(root: string): boolean {
  let dir = root;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'node_modules', 'tsx', 'package.json'))) return true;
    const up = path.dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
}

const asString = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Turn the sandbox's JSON line into per-provider configs. Exported for tests. */
export function parseSandboxLine(line: string): { providers: DemoProviderConfig[]; control: string; raw: Record<string, unknown> } {
  let raw: unknown;
  try { raw = JSON.parse(line); } catch { throw new AppError('internal', { id: 'error.demo_not_json' }, { line: line.slice(0, 200) }); }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || typeof (raw as any).control !== 'string') {
    throw new AppError('internal', { id: 'error.demo_unexpected' }, { line: line.slice(0, 200) });
  }
  const providers: DemoProviderConfig[] = [];
  for (const [name, d] of Object.entries(raw as Record<string, any>)) {
    if (name === 'control' || !d || typeof d !== 'object' || typeof d.baseUrl !== 'string') continue;
    const options: Record<string, string> = {};
    for (const [k, v] of Object.entries((d.options ?? {}) as Record<string, unknown>)) options[k] = asString(v);
    providers.push({
      provider: name, baseUrl: d.baseUrl, clientId: asString(d.clientId), clientSecret: asString(d.clientSecret), options,
      logins: Array.isArray(d.logins) ? d.logins : [],
    });
  }
  return { providers, control: (raw as any).control, raw: raw as Record<string, unknown> };
}

/**
 * Start the sandbox as a child process (`node --import tsx sandbox/cli.ts --json --exit-with-stdin` in the project
 * root) and wait for its one JSON line. The child exits when this process exits (its stdin pipe closes).
 * Throws AppError('not_configured') when sandbox/ or tsx is absent (packaged app), AppError('internal') when it fails to start.
 */
export async function startDemoSandbox(opts: DemoSandboxOptions): Promise<DemoSandbox> {
  const root = findSandboxRoot(opts.cwd);
  if (!root || !hasTsx(root)) {
    throw new AppError('not_configured', { id: 'error.demo_not_in_build' }, { cwd: opts.cwd });
  }
  const args = ['--import', 'tsx', path.join('sandbox', 'cli.ts'), '--json', '--exit-with-stdin', '--now', (opts.now ?? new Date()).toISOString(), ...(opts.seed !== undefined ? ['--seed', String(opts.seed)] : []),
    ...(opts.stateFile ? ['--state', opts.stateFile] : []), ...(opts.args ?? [])];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  delete env.NODE_OPTIONS;
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  const onParentExit = () => { try { child.kill('SIGKILL'); } catch { /* already gone */ } };
  process.once('exit', onParentExit);

  let exited = child.exitCode !== null;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; process.off('exit', onParentExit); resolve(); }));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 3000);
    await exitPromise;
    clearTimeout(t);
  };

  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => { stderr = (stderr + c).slice(-4000); });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => fail(new AppError('internal', { id: 'error.demo_start_timeout' }, { stderr })), opts.timeoutMs ?? 60_000);
    const fail = (e: Error) => { clearTimeout(timer); void stop(); reject(e); };
    child.once('error', (e) => fail(new AppError('internal', { id: 'error.demo_start_failed', values: { detail: e.message } })));
    child.once('exit', (code, signal) => fail(new AppError('internal', { id: 'error.demo_stopped_early', values: { how: signal ?? `exit ${code}` } }, { stderr: stderr.slice(-1000) })));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => {
      buf += c;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const l = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (l.startsWith('{')) { clearTimeout(timer); child.stdout!.removeAllListeners('data'); child.stdout!.resume(); resolve(l); return; }
      }
    });
  });
  child.removeAllListeners('error');
  child.on('error', () => {});
  // after the line, keep draining output so the pipe never fills
  child.stdout!.resume();
  child.stderr!.resume();
  let parsed;
  try { parsed = parseSandboxLine(line); } catch (e) { await stop(); throw e; }
  return {
    providers: parsed.providers,
    configs: Object.fromEntries(parsed.providers.map((p) => [p.provider, p])),
    control: parsed.control,
    raw: parsed.raw,
    pid: child.pid,
    exited: exitPromise,
    stop,
  };
}
