// Shared pieces of the reliability suite: the sandbox world, a service over real files (database, prefs, log, sealed key)
// in a temp dir, driving a link to 'done' through the sandbox's bank pages, and snapshots of the data tables.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinkStepDto } from '../../preload/contract/channels.js';
import type { ProviderId } from '../../main/domain/types.js';
import { silentLogger } from '../../main/log/index.js';
import { createService, type MultibankService, type PrefsStore } from '../../main/service/index.js';
import type { Db } from '../../main/store/db.js';
import { TestCipher } from '../../main/vault/index.js';
import type { RunningSandbox } from '../../sandbox/start.js';
import { browse } from '../unit/service/bank-browser.js';

/** MULTIBANK_RELIABILITY=full runs the large counts (50 kills, 20,000 generated URLs...); the default is sized for CI. */
export const FULL = process.env.MULTIBANK_RELIABILITY === 'full';

export const PROVIDERS = ['powens', 'finapi', 'everifin', 'banqware'] as const satisfies readonly ProviderId[];

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `mb-rel-${prefix}-`));

/** A deterministic PRNG (mulberry32), so a failing random schedule can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fetch that keeps every answer body the app received (JSON, else form fields): what crossed the wire, to search for. */
export function wireTap(): { fetch: typeof fetch; bodies: unknown[] } {
  const bodies: unknown[] = [];
  const tap: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const text = await res.clone().text().catch(() => '');
    try { bodies.push(JSON.parse(text)); } catch { bodies.push(Object.fromEntries(new URLSearchParams(text))); }
    return res;
  };
  return { fetch: tap, bodies };
}

export interface ServiceSetup {
  dataDir: string;
  /** hex of the vault cipher's key: a child process opening the same dataDir needs it */
  cipherKey: string;
  sandbox: RunningSandbox;
  /** the service writes its real log file (default: silent) */
  logToFile?: boolean;
  redirectMode?: 'custom_scheme' | 'loopback';
  now?: () => Date;
  fetch?: typeof fetch;
  /** hex of the database key: the database and its backups are encrypted (default: plain) */
  databaseKey?: string;
  /** default: prefs.json in dataDir */
  prefs?: PrefsStore;
  /** the OS notifications the service would show */
  notify?: (title: string, body: string) => void;
}

/** The real service over files in dataDir (database, prefs.json, sealed key, optional log), configured from the sandbox by demo.start. */
export async function openService(s: ServiceSetup): Promise<MultibankService> {
  const service = await createService({
    dataDir: s.dataDir, cipher: new TestCipher({ key: Buffer.from(s.cipherKey, 'hex') }),
    redirectMode: s.redirectMode ?? 'loopback', background: false,
    ...(s.logToFile ? {} : { logger: silentLogger }),
    now: s.now ?? (() => s.sandbox.world.clock.now()),
    ...(s.fetch ? { fetch: s.fetch } : {}),
    ...(s.databaseKey ? { databaseKey: Buffer.from(s.databaseKey, 'hex') } : {}),
    ...(s.prefs ? { prefs: s.prefs } : {}),
    ...(s.notify ? { notify: s.notify } : {}),
    // control: child processes (kill, concurrency, time) find these demo banks running rather than start their own
    startDemo: async () => {
      const { control, ...configs } = s.sandbox.describe();
      return { configs: configs as never, control, stop: () => {} };
    },
  });
  return service;
}

export interface Login { username: string; password: string; institution?: RegExp }
export const DEMO: Login = { username: 'demo', password: 'demo1234' };

/** Link one connection and drive it to 'done': the bank pages for redirects, the login for forms, polling for waits. */
export async function link(service: MultibankService, provider: ProviderId, login: Login = DEMO, renewConnectionId?: number): Promise<LinkStepDto & { kind: 'done' }> {
  if (renewConnectionId !== undefined) return completeLink(service, await service.call('link.begin', { provider, renewConnectionId }), login);
  const institutions = await service.call('institutions.list', { provider, query: '' }).catch(() => []);
  const institution = login.institution
    ? institutions.find((i) => login.institution!.test(i.name))
    : institutions.find((i) => !/SCA every|ends soon|expires|bulk/i.test(i.name)) ?? institutions[0];
  if (login.institution && !institution) throw new Error(`${provider} lists no institution like ${login.institution}`);
  return completeLink(service, await service.call('link.begin', { provider, ...(institution ? { institutionId: institution.id } : {}) }), login);
}

/**
 * Drive a link (or renewal) from `first` to 'done': the bank pages for redirects (back through the loopback listener,
 * which must answer its return page, or handed over as a deep link / pasted HTTPS address), the login for forms,
 * polling for waits. `returned` sees each address the bank sent the browser back to.
 */
export async function completeLink(service: MultibankService, first: LinkStepDto, login: Login = DEMO, returned?: (url: string) => void): Promise<LinkStepDto & { kind: 'done' }> {
  let step = first;
  for (let i = 0; i < 40 && step.kind !== 'done'; i++) {
    if (step.kind === 'redirect') {
      const auth = new URL(step.url);
      const back = await browse(step.url, login, (u) => {
        const x = new URL(u);
        // Enable Banking returns to the HTTPS address registered with the application: the user pastes it
        return x.protocol === 'multibank:' || x.protocol === 'https:' || (x.hostname === '127.0.0.1' && x.pathname === '/callback' && x.origin !== auth.origin);
      });
      returned?.(back);
      if (back.startsWith('multibank:') || back.startsWith('https:')) {
        if (!(await service.handleRedirect(back))) throw new Error(`the service did not take the address the bank returned to: ${back}`);
      } else {
        const page = await (await fetch(back)).text(); // the loopback listener hands it to handleRedirect
        if (!page.includes('You can return to Multibank')) throw new Error(`the loopback listener answered: ${page.slice(0, 200)}`);
      }
      step = await service.call('link.poll', { linkId: step.linkId });
    } else if (step.kind === 'form') {
      const values = Object.fromEntries(step.fields.map((f) => [f.name,
        f.type === 'password' ? login.password : /user|login|name/i.test(f.name) ? login.username : f.values?.[0]?.value ?? '']));
      step = await service.call('link.submit', { linkId: step.linkId, values });
    } else {
      await new Promise((r) => setTimeout(r, Math.min(step.kind === 'wait' ? step.pollAfterMs : 100, 500)));
      step = await service.call('link.poll', { linkId: step.linkId });
    }
  }
  if (step.kind !== 'done') throw new Error(`link did not finish: ${JSON.stringify(step)}`);
  return step;
}

/** Every transaction the list shows, newest first, page after page. */
export async function allRows(service: MultibankService) {
  const rows: Array<{ id: number; accountId: number; status: string; amount: number; description: string; bookingDate: string }> = [];
  let cursor: string | undefined;
  do {
    const page = await service.call('transactions.list', { sort: 'date_desc', limit: 500, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

/** Link the sandbox's bulk bank through finAPI and choose every account, then stop the first sync at once, so that
 *  child processes do the syncing (the kill and concurrency tests). */
export async function linkBulkWithoutSyncing(s: ServiceSetup): Promise<void> {
  const service = await openService(s);
  await service.call('demo.start', undefined);
  const done = await link(service, 'finapi', { username: 'bulk', password: 'bulk1234', institution: /bulk/i });
  await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
  await service.call('sync.cancel', { connectionId: done.connectionId });
  await service.close();
}

/** Every row of the user's data tables, as text, in a stable order: before/after comparisons of "nothing changed". */
export function dataSnapshot(db: Db): string {
  const tables = ['accounts', 'transactions', 'balances'].filter((t) =>
    db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(t));
  return tables.map((t) => `${t}:${JSON.stringify(db.prepare(`select * from ${t} order by 1`).raw().all())}`).join('\n');
}
