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
const scratch = join(root, 'dist', '.preload-build');
rmSync(scratch, { recursive: true, force: true });
step(['-p', 'tsconfig.main.json']);
step(['-p', 'tsconfig.preload.json']);

// .cjs: CommonJS whatever loads it (the package itself is ESM)
const preload = join(root, 'dist', 'preload', 'index.cjs');
renameSync(join(scratch, 'index.js'), preload);
rmSync(scratch, { recursive: true, force: true });
const requires = [...readFileSync(preload, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
if (requires.some((r) => r !== 'electron')) {
  console.error(`build failed: the sandboxed preload may require only electron, found: ${requires.join(', ')}`);
  process.exit(1);
}
// the worker modules are loaded by file name (main/store/worker.ts), not imported: they must have been emitted
for (const file of ['main/electron/entry.js', 'preload/contract/channels.js', 'main/store/backup-copy.js', 'main/sync/write-worker.js']) {
  if (!existsSync(join(root, 'dist', file))) {
    console.error(`build failed: dist/${file} is missing`);
    process.exit(1);
  }
}
// main imports the contract as ESM: it must not have been overwritten by a CommonJS build
if (/\bexports\.|require\(/.test(readFileSync(join(root, 'dist', 'preload', 'contract', 'channels.js'), 'utf8'))) {
  console.error('build failed: dist/preload/contract is not ESM');
  process.exit(1);
}
console.log('built dist/main (Electron main, ESM) and dist/preload/index.cjs (sandboxed preload, CommonJS)');
