// Build main + preload exactly as `npm run build` does, then boot the built entry under Node with a stand-in
// electron module: proves the ESM output resolves, the preload is a CommonJS file that requires only electron,
// the real service answers over the IPC handler, its backup worker runs from the built files, and the built sync
// engine writes a page through its built write worker.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('the built main process', () => {
  it('builds, and boots with the real service', { timeout: 180_000 }, () => {
    execFileSync(process.execPath, ['scripts/build-main.mjs'], { cwd: root, stdio: 'pipe', timeout: 150_000 });
    const preload = readFileSync(join(root, 'dist', 'preload', 'index.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*import\s/m);

    const userData = mkdtempSync(join(tmpdir(), 'mb-built-'));
    try {
      const r = spawnSync(process.execPath, ['--import', join(fixtures, 'loader.mjs'), join(fixtures, 'boot-built-main.mjs')], {
        cwd: root, env: { ...process.env, SMOKE_USER_DATA: userData }, encoding: 'utf8', timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(out.errorBox).toBeNull();
      expect(out.windowUrl).toBe('app://multibank/index.html');
      expect(out.webPreferences).toMatchObject({ preload: join(root, 'dist', 'preload', 'index.cjs'), sandbox: true, contextIsolation: true, nodeIntegration: false });
      expect(out.appInfo).toMatchObject({ ok: true, value: { secretStorage: { available: true } } });
      expect(out.accounts).toEqual({ ok: true, value: [] });
      expect(out.backup).toMatchObject({ ok: true, value: { kind: 'manual', name: expect.stringMatching(/-manual\.db$/) } });
      expect(out.forbidden).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(out.protocol.csp).toContain("connect-src 'none'");

      // the built engine's page writes, in the built write worker
      const sync = spawnSync(process.execPath, [join(fixtures, 'built-sync-write.mjs')], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(sync.status, sync.stderr).toBe(0);
      expect(JSON.parse(sync.stdout.trim().split('\n').pop()!)).toEqual({ outcome: 'ok', error: null, new: 250, stored: 250 });
    } finally {
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
