// Child process of the kill test: opens the real service on a data dir (same vault key as the parent) and syncs every
// connection against the sandbox over HTTP, printing one line per committed page, until it is SIGKILLed or done.
//   node --import tsx test/reliability/sync-child.ts <dataDir> <cipherKeyHex> <clockOffsetMs>
import { silentLogger } from '../../main/log/index.js';
import { createService } from '../../main/service/index.js';
import { TestCipher } from '../../main/vault/index.js';

const [dataDir, keyHex, offset] = process.argv.slice(2);
// the service lives on the sandbox's world clock (a fixed offset from real time)
const offsetMs = Number(offset);
const service = await createService({
  dataDir, cipher: new TestCipher({ key: Buffer.from(keyHex, 'hex') }), logger: silentLogger,
  redirectMode: 'loopback', background: false, now: () => new Date(Date.now() + offsetMs),
});
service.on('sync.progress', (p) => {
  // emitted after the page's transaction committed: what the parent may count on after a kill
  if (p.phase === 'transactions') process.stdout.write(`page ${p.pages} new ${p.counts.new}\n`);
});
process.stdout.write('ready\n');
await service.call('sync.run', {});
await service.idle();
const [run] = await service.call('sync.log', { limit: 1 });
process.stdout.write(`done ${run?.outcome} ${run?.errorCode ?? ''}\n`);
await service.close();
