// Start and stop `npm run preview` (dev bridge + real service) on a free port for browser tests and the screenshot script.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestInfo } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { testDatabaseKey, testPassphraseEnv } from '../helpers/dbkey.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** env: more environment for the preview. Unless it names MULTIBANK_PASSPHRASE (undefined: none, the preview starts
 *  locked), the data dir is encrypted under the suite's passphrase with a cheap key file (test/helpers/dbkey.ts). */
export async function startPreview(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  if (!('MULTIBANK_PASSPHRASE' in env)) {
    await testDatabaseKey(dataDir);
    env = { ...testPassphraseEnv(), ...env };
  }
  // browser tests never ask the real ECB for rates: a closed local port (with the demo banks, their copy is used)
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/e2e/shift-date.ts', 'scripts/preview.ts', '--no-build', '--json', '--data-dir', dataDir], {
    cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, MULTIBANK_HOME: dataDir, MULTIBANK_RATES_HOST: process.env.MULTIBANK_RATES_HOST ?? 'http://127.0.0.1:9', ...env },
  });
  let stderr = '';
  // the last 64 KB, for the test's report when it fails (what the service said before a lost connection, say)
  child.stderr!.on('data', (d) => { stderr = (stderr + String(d)).slice(-65_536); });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`preview did not start in 30 s\n${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) { clearTimeout(timer); resolve((JSON.parse(line) as { url: string }).url); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`preview exited with ${code}\n${stderr}`)); });
  });
  return { child, url, stderr: () => stderr };
}

export async function stopPreview(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** When a test failed: the service's log (multibank.log in its data dir) and the process's stderr go into its report. */
export async function attachOnFailure(testInfo: TestInfo, dataDir: string, stderr: string) {
  if (testInfo.status === testInfo.expectedStatus) return;
  const log = join(dataDir, 'multibank.log');
  if (existsSync(log)) await testInfo.attach('multibank.log', { body: readFileSync(log), contentType: 'text/plain' });
  if (stderr) await testInfo.attach('preview stderr', { body: stderr, contentType: 'text/plain' });
}
