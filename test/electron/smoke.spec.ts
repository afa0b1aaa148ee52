// Launch the real app with Playwright's Electron driver: the window has the secure options and shows the app.
// Skipped where there is no Electron binary (the install never downloads one on our machines) or no display.
import { _electron as electron, expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function electronBinary(): string | null {
  try {
    const p = createRequire(join(root, 'package.json'))('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

test.describe('Electron app', () => {
  test.skip(!binary, 'no Electron binary on this machine');
  test.skip(!display, 'no display on this machine');

  let userData: string;
  test.beforeAll(() => {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    expect(build.status).toBe(0);
    userData = mkdtempSync(join(tmpdir(), 'mb-electron-'));
  });
  test.afterAll(() => { if (userData) rmSync(userData, { recursive: true, force: true }); });

  test('launches with the secure window options and shows the app', async () => {
    const app = await electron.launch({
      executablePath: binary!,
      args: [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      cwd: root,
      env: { ...process.env, MULTIBANK_USER_DATA: userData } as Record<string, string>,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toBe('app://multibank/index.html');
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const wc = BrowserWindow.getAllWindows()[0].webContents;
        // getLastWebPreferences is what the window was created with
        const p = (wc as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
        return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, webSecurity: p.webSecurity, webviewTag: p.webviewTag };
      });
      expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
      // the renderer has the bridge, but no Node
      expect(await page.evaluate(() => typeof (window as unknown as { multibank?: unknown }).multibank)).toBe('object');
      expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => typeof (globalThis as unknown as { process?: unknown }).process)).toBe('undefined');
      // the app itself renders (first run: demo banks or setting up an aggregator)
      await expect(page.locator('#root')).not.toBeEmpty();
      await expect(page.getByText(/demo banks|aggregator/i).first()).toBeVisible();
    } finally {
      await app.close();
    }
  });
});
