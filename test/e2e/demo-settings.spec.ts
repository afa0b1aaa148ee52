// Settings → Demo banks tells the truth (issue 17): the demo banks can be started there without the first-run screen,
// and when their process ends by itself Settings says they are stopped (it once kept saying "running"); the next
// sync starts them again, as a restart of the app does; stopped by the user, the link wizard and the connection's card say how to start them (the card's badge no longer says "Retrying").
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './clock-fixture.js';
import { startPreview, stopPreview } from './preview.js';
import { linkTatraThroughPowens } from './flows.js';

/** the pid of the demo banks' process: the preview's child running sandbox/cli.ts (ps exists on Linux and macOS) */
function demoBanksPid(previewPid: number): number | null {
  const rows = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n').map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m) => m !== null);
  const row = rows.find((m) => Number(m[2]) === previewPid && m[3].includes(join('sandbox', 'cli.ts')));
  return row ? Number(row[1]) : null;
}

test('demo banks started from Settings; their process ending is said there, and a sync starts them again', async ({ page }) => {
  test.skip(process.platform === 'win32', 'finds the demo banks\' process with ps');
  const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-'));
  const preview = await startPreview(dataDir);
  try {
    // no first-run screen needed: Settings offers the demo banks
    await page.goto(`${preview.url}#/settings`);
    const demo = page.getByRole('region', { name: 'Demo banks' });
    await expect(demo.getByRole('status')).toHaveText('Local demo banks with a few years of realistic history, to try Multibank. Nothing leaves this computer.');
    await demo.getByRole('button', { name: 'Start demo banks' }).click();
    await expect(demo.getByRole('status')).toHaveText('The demo banks are running on this computer.', { timeout: 30_000 });
    await expect(demo.getByRole('list', { name: 'Demo aggregators' })).toContainText('Powens');
    await page.getByRole('link', { name: 'Link a bank' }).first().click();
    await expect(page.getByRole('button', { name: /^Powens/ })).toContainText('Demo banks on this computer');
    await linkTatraThroughPowens(page);
    const sync = page.getByRole('region', { name: 'Sync' });
    await expect(sync.getByRole('status')).toContainText(/Done · \d+ new/, { timeout: 60_000 });

    // the demo banks' process ends by itself: Settings says so without a reload
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect(demo.getByRole('status')).toHaveText('The demo banks are running on this computer.');
    const pid = demoBanksPid(preview.child.pid!);
    expect(pid).not.toBeNull();
    process.kill(pid!, 'SIGKILL');
    await expect(demo.getByRole('status')).toHaveText('The demo banks are stopped. Demo connections cannot sync or renew until you start them again; their data stays here.', { timeout: 30_000 });
    await expect(demo.getByRole('button', { name: 'Start demo banks' })).toBeVisible();

    // they were not stopped by the user: the next sync starts them again, and it works
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect(demo.getByRole('status')).toHaveText('The demo banks are running on this computer.', { timeout: 30_000 });
    await expect(sync.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 60_000 });
    await expect(sync.getByRole('status')).toContainText(/Tatra Demo Banka[^:]*: Done/);

    // stopped by the user: the link wizard's bank list says so, with the way to start them, not "check your internet"
    await demo.getByRole('button', { name: 'Stop demo banks' }).click();
    await expect(demo.getByRole('status')).toContainText('The demo banks are stopped.');
    await page.getByRole('link', { name: 'Link a bank' }).first().click();
    await page.getByRole('button', { name: /^Powens/ }).click();
    const step = page.getByRole('region', { name: 'Choose your bank' });
    await expect(step.getByRole('alert')).toContainText('The demo banks on this computer are not running.');
    await expect(step.getByRole('alert')).toContainText('Start them in Settings');
    await expect(page.locator('body')).not.toContainText(/internet connection|fetch failed|127\.0\.0\.1/);

    // a sync meanwhile cannot reach them: the connection's badge says why, not "Retrying" (retrying cannot help)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    const card = page.getByRole('listitem', { name: /Tatra Demo Banka/ });
    await card.getByRole('button', { name: /^Sync .* now$/ }).click();
    await expect(card.locator('.badge')).toHaveText('Demo banks not running', { timeout: 30_000 });
    await expect(card).toContainText('Start them in Settings → Demo banks.');
    await expect(card.getByRole('link', { name: 'Open Settings' })).toHaveAttribute('href', '#/settings');
    await expect(card).not.toContainText(/Retrying|127\.0\.0\.1/);
  } finally {
    await stopPreview(preview.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
