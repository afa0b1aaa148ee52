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
// this process's own outcome (the sync log may also hold another process's run of the same connection)
let outcome = 'none';
service.on('sync.progress', (p) => {
  // emitted after the page's transaction committed: what the parent may count on after a kill
  if (p.phase === 'transactions') process.stdout.write(`page ${p.pages} new ${p.counts.new}\n`);
  if (p.phase === 'done') outcome = 'ok';
  if (p.phase === 'error') outcome = `error ${p.message}`;
});
// a run whose promises stop settling lets Node exit quietly with code 0: say so, the parent treats it as a failure
let finished = false;
process.on('exit', (code) => { if (!finished) process.stdout.write(`exit ${code} before done\n`); });
process.stdout.write('ready\n');
await service.call('sync.run', {});
await service.idle();
process.stdout.write(`done ${outcome}\n`);
finished = true;
await service.close();
