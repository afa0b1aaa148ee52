#!/usr/bin/env node
// Build the Electron main process (ESM, tsconfig.main.json) and the sandboxed preload (CommonJS,
// tsconfig.preload.json) into dist/. The renderer is built by `vite build` (dist/renderer).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function step(args) {
  const r = spawnSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build failed: tsc ${args.join(' ')}`);
    process.exit(r.status ?? 1);
  }
}

rmSync(join(root, 'dist', 'main'), { recursive: true, force: true });
rmSync(join(root, 'dist', 'preload'), { recursive: true, force: true });
step(['-p', 'tsconfig.main.json']);
step(['-p', 'tsconfig.preload.json']);

// .cjs: CommonJS whatever loads it (the package itself is ESM)
const preloadJs = join(root, 'dist', 'preload', 'index.js');
const preload = join(root, 'dist', 'preload', 'index.cjs');
renameSync(preloadJs, preload);
const requires = [...readFileSync(preload, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
if (requires.some((r) => r !== 'electron')) {
  console.error(`build failed: the sandboxed preload may require only electron, found: ${requires.join(', ')}`);
  process.exit(1);
}
if (!existsSync(join(root, 'dist', 'main', 'electron', 'entry.js'))) {
  console.error('build failed: dist/main/electron/entry.js is missing');
  process.exit(1);
}
console.log('built dist/main (Electron main, ESM) and dist/preload/index.cjs (sandboxed preload, CommonJS)');
