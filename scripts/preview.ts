// `npm run preview`: the real renderer in a browser against the real main-side service, over the dev bridge.
// Builds the renderer, opens the service on a data dir (default ./.multibank-preview or MULTIBANK_HOME) with
// loopback redirects and the key-file cipher, and prints the address to open (with its access token).
//   --data-dir DIR   --port N (default 0: any free port)   --no-build   --json (print one JSON line: {url, dataDir})
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { openLocalService } from '../main/index.js';
import { startDevBridge } from '../main/devbridge/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string', default: process.env.PORT ?? '0' },
    'no-build': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

const dataDir = resolve(args['data-dir'] ?? process.env.MULTIBANK_HOME ?? '.multibank-preview');
const staticDir = resolve(root, 'dist/renderer');

if (!args['no-build']) {
  if (!args.json) console.log('Building the renderer…');
  await build({ configFile: resolve(root, 'vite.config.ts'), logLevel: args.json ? 'silent' : 'warn' });
}

const service = await openLocalService(dataDir);
const bridge = await startDevBridge({ service, staticDir, port: Number(args.port) });

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
