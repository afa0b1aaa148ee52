// Child process of the UI figures: the main-side service on a database plus the dev bridge serving a built renderer,
// alone in its process so that its memory can be measured. Prints one JSON line {url}; answers each "rss" line on
// stdin with {rssMb}; exits when stdin closes.
//   node --import tsx bench/serve.ts <dataDir> <staticDir>
import { createInterface } from 'node:readline';
import { startDevBridge } from '../main/devbridge/server.js';
import { silentLogger } from '../main/log/index.js';
import { createMemoryPrefsStore, createService } from '../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../main/vault/index.js';

const [dataDir, staticDir] = process.argv.slice(2);
const service = await createService({
  dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(),
  logger: silentLogger, background: false, redirectMode: 'loopback',
});
const bridge = await startDevBridge({ service, staticDir });
process.stdout.write(JSON.stringify({ url: bridge.url }) + '\n');
const lines = createInterface({ input: process.stdin });
lines.on('line', (l) => {
  if (l.trim() === 'rss') process.stdout.write(JSON.stringify({ rssMb: process.memoryUsage().rss / 2 ** 20 }) + '\n');
});
lines.on('close', () => {
  void bridge.close().then(() => service.close()).finally(() => process.exit(0));
});
