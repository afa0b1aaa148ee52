// Build the renderer once (skipped when dist/renderer is newer than every renderer source, so parallel runs do not
// empty it under each other); every test then starts its own dev bridge + service on a fresh data dir (fixtures.ts).
import { build } from 'vite';
import { fixClockOffset } from './clock.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

export default async function globalSetup() {
  fixClockOffset();
  const built = join(root, 'dist/renderer/index.html');
  const sources = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'vite.config.ts')), newestMtime(join(root, 'preload/contract')));
  if (existsSync(built) && statSync(built).mtimeMs > sources) return;
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}
