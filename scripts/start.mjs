#!/usr/bin/env node
// `npm start`: build the renderer, main and preload, then launch Electron. Where Electron cannot run (no binary,
// which is the case when the install could not download it, or no display), say so in ONE line and exit non-zero.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron binary's path, or null when the electron package has no binary (it never downloads one here). */
export function electronBinary() {
  try {
    const path = createRequire(join(root, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export function hasDisplay(env = process.env, platform = process.platform) {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export function cannotStartReason(binary, display) {
  const missing = [!binary && 'no Electron binary', !display && 'no display'].filter(Boolean);
  return missing.length ? missing.join(', ') : null;
}

function main() {
  const binary = electronBinary();
  const reason = cannotStartReason(binary, hasDisplay());
  if (reason) {
    console.error(`Electron cannot start here (${reason}): run \`npm run preview\` to open Multibank in your browser.`);
    process.exit(1);
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) {
    console.error('The build failed (see above), so Multibank was not started.');
    process.exit(build.status ?? 1);
  }
  // Chromium refuses to run as root with its sandbox on; only then is it turned off (development machines only).
  const args = ['.', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...process.argv.slice(2)];
  const child = spawn(binary, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
