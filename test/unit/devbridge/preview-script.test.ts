// `npm run preview`: help instead of a stack trace, always encrypted (locked until the passphrase is given when none is in
// the environment), and the same address from one start to the next while its port is free.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isPlainDatabase } from '../../../main/store/db.js';
import { KEY_FILE } from '../../../main/vault/dbkey.js';
import { startPreview, stopPreview } from '../../e2e/preview.js';

const root = join(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function runPreview(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/preview.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = ''; let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run preview', () => {
  it('prints its usage for --help and one plain line for a wrong option or data dir', async () => {
    const help = await runPreview(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run preview -- \[options\]/);
    expect(help.stdout).toContain('--data-dir <dir>');
    expect(help.stderr).toBe('');
    const wrong = await runPreview(['--nope']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe("preview: Unknown option '--nope' (see --help)\n");
    const dir = mkdtempSync(join(tmpdir(), 'mb-preview-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a-file'), 'x');
    const unusable = await runPreview(['--no-build', '--data-dir', join(dir, 'a-file')]);
    expect(unusable.code).toBe(1);
    expect(unusable.stderr).toBe(`preview: Multibank cannot keep its data in ${join(dir, 'a-file')}: ${join(dir, 'a-file')} is a file, not a folder.\n`);
  }, 60_000);

  it('encrypts its data dir under MULTIBANK_PASSPHRASE, and without it starts locked until the passphrase is given', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-preview-'));
    dirs.push(dataDir);
    const p = await startPreview(dataDir, { MULTIBANK_PASSPHRASE: 'preview passphrase' });
    await stopPreview(p.child);
    expect(isPlainDatabase(join(dataDir, 'multibank.db'))).toBe(false);
    expect(existsSync(join(dataDir, 'vault.key'))).toBe(false);
    // a new key file: the stated scrypt cost, never less
    expect((JSON.parse(readFileSync(join(dataDir, KEY_FILE), 'utf8')) as { kdf: unknown }).kdf).toMatchObject({ N: 2 ** 17, r: 8, p: 1 });

    const locked = await startPreview(dataDir, { MULTIBANK_PASSPHRASE: undefined });
    try {
      const url = new URL(locked.url);
      const ws = new WebSocket(`ws://${url.host}/bridge?token=${url.searchParams.get('token')}`);
      await new Promise((ok, no) => { ws.once('open', ok); ws.once('error', no); });
      let id = 0;
      const call = (channel: string, request?: unknown) => new Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>((resolve) => {
        const mine = ++id;
        const onMessage = (d: WebSocket.RawData) => {
          const m = JSON.parse(String(d)) as { id?: number; result?: { ok: boolean } };
          if (m.id === mine) { ws.off('message', onMessage); resolve(m.result as never); }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id: mine, channel, request }));
      });
      expect(await call('lock.status')).toMatchObject({ ok: true, value: { locked: true, unlockWith: 'passphrase' } });
      expect(await call('accounts.list')).toMatchObject({ ok: false, error: { code: 'locked' } });
      expect(await call('lock.unlock', { passphrase: 'not the passphrase' })).toMatchObject({ ok: false, error: { code: 'wrong_passphrase' } });
      expect(await call('lock.unlock', { passphrase: 'preview passphrase' })).toMatchObject({ ok: true, value: { locked: false } });
      expect(await call('accounts.list')).toEqual({ ok: true, value: [] });
      ws.close();
    } finally {
      await stopPreview(locked.child);
    }
  }, 60_000);

  it('keeps its address across restarts while the port is free, and takes another port when it is not', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-preview-'));
    dirs.push(dataDir);
    let p = await startPreview(dataDir);
    const first = p.url;
    await stopPreview(p.child);
    expect(statSync(join(dataDir, 'preview.json')).mode & 0o077).toBe(0);

    p = await startPreview(dataDir);
    expect(p.url).toBe(first);
    await stopPreview(p.child);

    // the port is taken now: a free one, with the same token
    const blocker = createServer();
    await new Promise<void>((ok) => blocker.listen(Number(new URL(first).port), '127.0.0.1', () => ok()));
    try {
      p = await startPreview(dataDir);
      expect(new URL(p.url).port).not.toBe(new URL(first).port);
      expect(new URL(p.url).search).toBe(new URL(first).search);
      await stopPreview(p.child);
    } finally {
      await new Promise((ok) => blocker.close(ok));
    }
  }, 90_000);
});
