// `npm run preview`: the real renderer in a browser against the real main-side service, over the dev bridge.
// Builds the renderer, opens the service on a data dir (default ./.multibank-preview or MULTIBANK_HOME) with
// loopback redirects, always encrypted under a passphrase (MULTIBANK_PASSPHRASE; without it the service starts locked
// and the page's lock screen asks for it, or has one chosen on a first start), and prints the address to open.
//   --data-dir DIR   --port N (default: the last start's port when free, else any free port)   --no-build
//   --json (print one JSON line: {url, dataDir})
// The address stays the same from one start to the next: its port and access token are kept in preview.json in the
// data dir (private to its owner, like the vault key file beside it).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { checkNotSealedElsewhere, openLocalService } from '../main/index.js';
import { startDevBridge } from '../main/devbridge/server.js';
import { startLocked } from '../main/service/locked-start.js';
import { createJsonPrefsStore, ensurePrivateDataDir } from '../main/service/index.js';

const USAGE = `Usage: npm run preview -- [options]

The real Multibank renderer in your browser, against the real service, on 127.0.0.1.

Options:
  --data-dir <dir>  where the database and settings live (default: $MULTIBANK_HOME or ./.multibank-preview)
  --port <n>        listen on this port (default: the port of the last start when it is free, else any free port)
  --no-build        use the renderer built before (dist/renderer)
  --json            print one JSON line {url, dataDir} instead of the address
  -h, --help        show this help

Environment:
  MULTIBANK_PASSPHRASE  the passphrase the data dir is encrypted under (a new data dir takes it as its own);
                        without it the page starts locked and asks for it (or, the first time, has one chosen)
`;

/** one plain line on stderr, then exit (no stack trace) */
function fail(message: string, code = 1): never {
  process.stderr.write(`preview: ${message}\n`);
  process.exit(code);
}

const root = fileURLToPath(new URL('..', import.meta.url));
let args: { 'data-dir'?: string; port?: string; 'no-build': boolean; json: boolean; help: boolean };
try {
  ({ values: args } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: process.env.PORT },
      'no-build': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  fail(`${(e as Error).message} (see --help)`, 2);
}
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (args.port !== undefined && !/^\d+$/.test(args.port)) fail(`--port must be a port number, got "${args.port}" (see --help)`, 2);

const dataDir = resolve(args['data-dir'] ?? process.env.MULTIBANK_HOME ?? '.multibank-preview');
const staticDir = resolve(root, 'dist/renderer');

if (!args['no-build']) {
  if (!args.json) console.log('Building the renderer…');
  await build({ configFile: resolve(root, 'vite.config.ts'), logLevel: args.json ? 'silent' : 'warn' });
}

/** the last start's port and token, when there was one */
function lastStart(): { port?: number; token?: string } {
  try {
    const v = JSON.parse(readFileSync(join(dataDir, 'preview.json'), 'utf8')) as { port?: unknown; token?: unknown };
    return { ...(typeof v.port === 'number' ? { port: v.port } : {}), ...(typeof v.token === 'string' && v.token.length >= 32 ? { token: v.token } : {}) };
  } catch {
    return {};
  }
}

/** the service: opened with MULTIBANK_PASSPHRASE, else locked until the page's lock screen is given the passphrase */
async function openService() {
  ensurePrivateDataDir(dataDir);
  checkNotSealedElsewhere(dataDir);
  // one preferences store: the lock screen speaks the chosen language before the service exists
  const prefs = createJsonPrefsStore(join(dataDir, 'prefs.json'));
  const passphrase = process.env.MULTIBANK_PASSPHRASE;
  if (passphrase) return openLocalService(dataDir, { passphrase, prefs });
  return startLocked({ dataDir, language: () => prefs.get().language, open: (typed) => openLocalService(dataDir, { passphrase: typed, prefs }) });
}
const service = await openService().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
const last = lastStart();
const bridge = await startDevBridge({
  service, staticDir, token: last.token ?? randomBytes(24).toString('base64url'),
  ...(args.port !== undefined ? { port: Number(args.port) } : { port: last.port ?? 0, anyPortIfTaken: true }),
}).catch(async (e: unknown) => { await service.close(); return fail(`cannot listen on port ${args.port}: ${(e as Error).message}`); });
writeFileSync(join(dataDir, 'preview.json'), JSON.stringify({ port: Number(new URL(bridge.origin).port), token: bridge.token }), { mode: 0o600 });

if (args.json) {
  console.log(JSON.stringify({ url: bridge.url, dataDir }));
} else {
  console.log(`\nMultibank preview is running (data in ${dataDir}).\nOpen: ${bridge.url}\nPress Ctrl+C to stop.`);
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await bridge.close();
  await service.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// when a test runner spawns us with a pipe on stdin, its exit closes the pipe: stop too
if (args.json) process.stdin.on('end', stop).resume();
