// `npm run sandbox -- --json` prints one JSON object and every server it lists answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EMULATORS } from '../../../../sandbox/emulators.js';
import { startSandbox } from '../../../../sandbox/start.js';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
let child: ChildProcess | undefined;

function firstLine(c: ChildProcess, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '', err = '';
    const t = setTimeout(() => reject(new Error(`no output in time; stderr: ${err}`)), timeoutMs);
    c.stderr!.on('data', (d) => { err += d; });
    c.stdout!.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) { clearTimeout(t); resolve(buf.slice(0, nl)); }
    });
    c.once('exit', (code) => { clearTimeout(t); reject(new Error(`exited ${code}: ${err}`)); });
  });
}

afterAll(() => {
  if (child?.pid && child.exitCode === null) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
});

describe('npm run sandbox -- --json', () => {
  it('prints {<provider>: {baseUrl, clientId, clientSecret, options...}, control} and every server answers; SIGTERM stops it', async () => {
    child = spawn('npm', ['run', '-s', 'sandbox', '--', '--json', '--seed', '5'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await firstLine(child);
    const desc = JSON.parse(line);
    expect(typeof desc.control).toBe('string');
    const providers = Object.keys(desc).filter((k) => k !== 'control');
    expect(providers.sort()).toEqual(Object.keys(EMULATORS).sort());
    const health = await (await fetch(desc.control + '/health')).json();
    expect(health).toMatchObject({ ok: true, seed: 5 });
    for (const p of providers) {
      expect(desc[p].baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // the ECB's rate files are public: no client credentials
      if (p !== 'ecb') expect(typeof desc[p].clientId).toBe('string');
      if (p !== 'ecb') expect(typeof desc[p].clientSecret).toBe('string');
      const res = await fetch(desc[p].baseUrl + '/'); // any HTTP answer (404 included) means the server is up
      expect(res.status).toBeGreaterThanOrEqual(200);
      await res.arrayBuffer();
    }
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    // npm exits first; the sandbox under it closes its servers a moment later: wait for that, not for a time
    await vi.waitFor(() => expect(fetch(desc.control + '/health')).rejects.toThrow(), { timeout: 20_000, interval: 100 });
  });
});

const free = (port: number) => new Promise<boolean>((resolve) => {
  const server = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
});
async function freeBlock(size: number): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    let ok = true;
    for (let p = base; ok && p < base + size; p++) ok = await free(p);
    if (ok) return base;
  }
  throw new Error('no free block of ports below 32000');
}

describe('startSandbox', () => {
  it('serves the registered emulators and the control API, honours fixed ports, and describes itself', async () => {
    // below Linux's ephemeral range (32768+), which the other tests' port-0 listeners and connections draw from, and
    // every port of the block checked free first: the fixed ports are not taken by a test running beside this one
    const base = await freeBlock(Object.keys(EMULATORS).length + 1);
    const sb = await startSandbox({ seed: 9, portBase: base, now: '2026-01-15T10:00:00Z' });
    try {
      expect(sb.control).toBe(`http://127.0.0.1:${base}`);
      expect(sb.world.clock.today()).toBe('2026-01-15');
      const d = sb.describe();
      expect(d.control).toBe(sb.control);
      for (const [i, n] of Object.keys(EMULATORS).entries()) {
        expect(sb.urls[n]).toBe(`http://127.0.0.1:${base + 1 + i}`);
        expect((d[n] as any).baseUrl).toBe(sb.urls[n]);
      }
      expect((await fetch(sb.control + '/health')).status).toBe(200);
    } finally {
      await sb.close();
    }
    await expect(startSandbox({ providers: ['no-such-aggregator'] })).rejects.toThrow(/No emulator/);
  });
});
