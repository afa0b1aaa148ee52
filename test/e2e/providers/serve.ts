// Like `npm run preview --json` (under the suite's passphrase), but the demo sandbox is started here first and handed to the service, so the browser
// tests also learn the sandbox's control API (clock, expiry, revocation). Prints one line {url, control}.
//   node --import tsx test/e2e/providers/serve.ts <dataDir>
import { fileURLToPath } from 'node:url';
import { startDemoSandbox } from '../../../main/demo/index.js';
import { startDevBridge } from '../../../main/devbridge/server.js';
import { openLocalService } from '../../../main/index.js';
import { testDatabaseKey, TEST_PASSPHRASE } from '../../helpers/dbkey.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: serve.ts <dataDir>');

const sandbox = await startDemoSandbox({ cwd: root });
await testDatabaseKey(dataDir);
const service = await openLocalService(dataDir, { passphrase: TEST_PASSPHRASE, startDemo: async () => sandbox });
const bridge = await startDevBridge({ service, staticDir: fileURLToPath(new URL('../../../dist/renderer', import.meta.url)), port: 0 });
console.log(JSON.stringify({ url: bridge.url, control: sandbox.control }));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await bridge.close();
  await service.close();
  await sandbox.stop();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// the test runner holds our stdin: when it goes away, so do we
process.stdin.on('end', stop).resume();
