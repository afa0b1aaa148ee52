// Start and stop `npm run preview` (dev bridge + real service) on a free port for browser tests and the screenshot script.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testDatabaseKey, testPassphraseEnv } from '../helpers/dbkey.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** env: more environment for the preview. Unless it names MULTIBANK_PASSPHRASE (undefined: none, the preview starts
 *  locked), the data dir is encrypted under the suite's passphrase with a cheap key file (test/helpers/dbkey.ts). */
export async function startPreview(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  if (!('MULTIBANK_PASSPHRASE' in env)) {
    await testDatabaseKey(dataDir);
    env = { ...testPassphraseEnv(), ...env };
  }
  // browser tests never ask the real ECB for rates: a closed local port (with the demo banks, their copy is used)
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/e2e/shift-date.ts', 'scripts/preview.ts', '--no-build', '--json', '--data-dir', dataDir], {
    cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, MULTIBANK_HOME: dataDir, MULTIBANK_RATES_HOST: process.env.MULTIBANK_RATES_HOST ?? 'http://127.0.0.1:9', ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
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
  return { child, url };
}

export async function stopPreview(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
