// Runs test/reliability/sync-child.ts (the real service syncing every connection of a data dir) in a child process,
// optionally SIGKILLing it at a chosen moment, and reports what it printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');

export interface ChildRun { killed: boolean; committedNew: number; pagesSeen: number; out: string; ms: number }

/** Run one child sync; SIGKILL it `afterMs` after it is ready, or right after page `afterPage` commits (null: let it finish).
 *  `onPage` sees the child after each committed page (e.g. to SIGSTOP it there). */
export function runChild(dataDir: string, keyHex: string, offsetMs: number, kill: { afterMs?: number; afterPage?: number } | null, env: Record<string, string> = {},
  onPage?: (page: number, child: ChildProcess) => void): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'sync-child.ts'), dataDir, keyHex, String(offsetMs)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    let killed = false;
    let committedNew = 0;
    let pagesSeen = 0;
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    const killNow = () => { if (!killed && child.exitCode === null) { killed = true; child.kill('SIGKILL'); } };
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      for (const line of out.split('\n').slice(0, -1)) {
        const m = /^page (\d+) new (\d+)$/.exec(line);
        if (m && Number(m[1]) > pagesSeen) { pagesSeen = Number(m[1]); committedNew = Number(m[2]); onPage?.(pagesSeen, child); }
        if (line === 'ready' && kill?.afterMs !== undefined && !timer) timer = setTimeout(killNow, kill.afterMs);
      }
      if (kill?.afterPage !== undefined && pagesSeen >= kill.afterPage) killNow();
    });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' || (code === 0 && /^done /m.test(out))) resolve({ killed: signal === 'SIGKILL', committedNew, pagesSeen, out, ms: Date.now() - started });
      else reject(new Error(`sync child exited ${code ?? signal}: ${out.slice(-1000)}\n${err.slice(-2000)}`));
    });
  });
}
