import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/domain/errors.js';
import { findSandboxRoot, parseSandboxLine, startDemoSandbox } from '../../../main/demo/index.js';
import { EMULATORS } from '../../../sandbox/emulators.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}
async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (cond()) return true; await new Promise((r) => setTimeout(r, 100)); }
  return cond();
}

describe('demo mode launcher', () => {
  it('starts the sandbox in a child process and returns one config per aggregator; stop() ends it', async () => {
    const demo = await startDemoSandbox({ cwd: path.join(ROOT, 'main') });
    try {
      expect(demo.providers.map((p) => p.provider).sort()).toEqual(Object.keys(EMULATORS).sort());
      for (const p of demo.providers) {
        expect(p.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(typeof p.clientId).toBe('string');
        for (const v of Object.values(p.options)) expect(typeof v).toBe('string');
        expect(demo.configs[p.provider]).toBe(p);
      }
      expect(await (await fetch(demo.control + '/health')).json()).toMatchObject({ ok: true });
      expect(alive(demo.pid!)).toBe(true);
    } finally {
      await demo.stop();
    }
    expect(await waitUntil(() => !alive(demo.pid!), 30_000)).toBe(true);
    await expect(fetch(demo.control + '/health')).rejects.toThrow();
    await demo.stop(); // idempotent
  });

  it('keeps the world in the state file it is given: started again, the same ports and the clock it was set to', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-demo-state-'));
    const stateFile = path.join(dir, 'demo-world.bin');
    try {
      const first = await startDemoSandbox({ cwd: ROOT, stateFile });
      const set = '2026-06-15T12:00:00.000Z';
      await fetch(first.control + '/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ set }) });
      const urls = first.providers.map((p) => p.baseUrl);
      await first.stop();
      expect(fs.existsSync(stateFile)).toBe(true);
      const again = await startDemoSandbox({ cwd: ROOT, stateFile });
      try {
        expect(again.providers.map((p) => p.baseUrl)).toEqual(urls);
        const { now } = await (await fetch(again.control + '/clock', { headers: { connection: 'close' } })).json() as { now: string };
        // the world's lead over real time is kept: as far past the set instant as real time has passed since
        expect(Date.parse(now) - Date.parse(set)).toBeGreaterThanOrEqual(0);
        expect(Date.parse(now) - Date.parse(set)).toBeLessThan(60_000);
      } finally {
        await again.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with a clear AppError when sandbox/ is absent (packaged app)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-nosandbox-'));
    try {
      expect(findSandboxRoot(dir)).toBeUndefined();
      const err = await startDemoSandbox({ cwd: dir }).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('not_configured');
      expect(err.message).toMatch(/development checkout/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(findSandboxRoot(path.join(ROOT, 'main', 'demo'))).toBe(ROOT);
  });

  it('the sandbox dies with its parent, even when the parent is SIGKILLed', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', path.join('test', 'unit', 'demo', 'fixtures', 'parent.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const info = await new Promise<{ pid: number; control: string }>((resolve, reject) => {
      let buf = '', err = '';
      parent.stderr!.on('data', (d) => { err += d; });
      parent.stdout!.on('data', (d) => { buf += d; const nl = buf.indexOf('\n'); if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl))); });
      parent.once('exit', (c) => reject(new Error(`parent exited ${c}: ${err}`)));
    });
    expect(alive(info.pid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await waitUntil(() => !alive(info.pid), 30_000)).toBe(true);
  });

  it('parses the sandbox line into ProviderConfig-like entries and rejects garbage', () => {
    const r = parseSandboxLine(JSON.stringify({ powens: { baseUrl: 'http://127.0.0.1:1', clientId: 'a', clientSecret: 'b', options: { domain: 'sandbox', n: 3, o: { x: 1 } }, logins: [{ bank: 'B', username: 'u', password: 'p' }] }, control: 'http://127.0.0.1:2' }));
    expect(r.providers).toEqual([{ provider: 'powens', baseUrl: 'http://127.0.0.1:1', clientId: 'a', clientSecret: 'b', options: { domain: 'sandbox', n: '3', o: '{"x":1}' }, logins: [{ bank: 'B', username: 'u', password: 'p' }] }]);
    expect(r.control).toBe('http://127.0.0.1:2');
    expect(() => parseSandboxLine('nope')).toThrow(AppError);
    expect(() => parseSandboxLine('{"powens": {}}')).toThrow(AppError);
  });
});
