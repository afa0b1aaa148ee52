// The application service: everything the UI (IPC, dev bridge) and the CLI can ask, as plain async functions over
// the store, the vault, the providers and the sync engine. createService is the composition function main/index.ts,
// the Electron entry, the dev bridge and the CLI call.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_NAMES, type Channel, type EventName, type EventOf, type ParsedRequestOf, type PrefsDto, type ProviderDto, type Results } from '../../preload/contract/channels.js';
import { createLinkManager, CUSTOM_SCHEME_REDIRECT, type LinkManager, type LinkParking, type ParkedLink } from '../linking/links.js';
import { startLoopbackListener, type LoopbackListener } from '../auth/loopback.js';
import { createConsentNotifier } from '../consent/notifier.js';
import { startDemoSandbox } from '../demo/index.js';
import { AppError, english, toErrorDto, verbatim, type MainMessage } from '../domain/errors.js';
import { formatMessage } from '../../locales/format.js';
import { PROVIDER_IDS, type ProviderId } from '../domain/types.js';
import { createLogger, type Logger } from '../log/index.js';
import type { ProviderHub, ProviderRegistry } from '../providers/hub.js';
import type { Provider } from '../providers/provider.js';
import { PROVIDERS } from '../providers/registry.js';
import { BACKUP_DIR, backUpDailyIfDue, checkBackup, createBackup, DATABASE_FILE, listBackups, openCheckedDatabase, restoreBackupFiles, type BackupInfo } from '../store/backup.js';
import { checkDatabase, markDatabaseInUse, openDatabaseFile, type DatabaseHealth, type Db } from '../store/db.js';
import { encryptDataDir } from '../store/encrypt.js';
import { LOCK_CHANNELS, type LockChannel, type LockStatusDto } from '../../preload/contract/lock.js';
import { DatabaseKeyCipher, hasPassphrase, unlockWithPassphrase } from '../vault/dbkey.js';
import { storageError } from '../store/errors.js';
import * as categories from '../store/categories.js';
import * as q from '../store/queries.js';
import * as transfers from '../store/transfers.js';
import { historyGaps } from '../store/balancecheck.js';
import { createRepositories, type ConnectionRow, type Repositories } from '../store/repositories.js';
import { assertCanStoreSecrets, FileSealedKeyStore, Vault, type SealedKeyStore } from '../vault/index.js';
import type { SecretCipher } from '../vault/types.js';
import type { SyncResult } from '../sync/engine.js';
import type { Service } from './api.js';
import { createDemoBanks, demoAddresses, demoRatesHost, type DemoSandbox } from './demo.js';
import { connectionDto, providerDto, type ConnectionView } from './dto.js';
import { createEventHub } from './events.js';
import { importStatement, inspectStatement, undoStatementImport } from '../import/importer.js';
import { deleteManualAccount, listImports } from '../store/imports.js';
import { createJsonPrefsStore, type PrefsStore } from './prefs.js';
import { problemReport } from './report.js';
import { createRevocations, isGoneAtAggregator } from './revocations.js';
import { createSync } from './sync.js';
import { ECB_DEFAULT_HOST } from '../fx/ecb.js';
import { createRates } from '../fx/rates.js';
import { copyGroups, hiddenCopies, preferCopy } from '../store/copies.js';
import { countedAccounts, netWorth } from './networth.js';
import { clientSecretName, connectionSecretsPrefix, createProviderHub } from './providers.js';

export type { PrefsStore } from './prefs.js';
export { createJsonPrefsStore, createMemoryPrefsStore } from './prefs.js';

export type { DemoSandbox } from './demo.js';

export interface ServiceOptions {
  /** where multibank.db (and, for the CLI/dev bridge, prefs and the sealed key) live */
  dataDir: string;
  /** seals the vault's data key: safeStorage in the app, DatabaseKeyCipher where a passphrase holds the database key
   *  (the CLI, the dev bridge, the app without a keyring; rebuilt from the key at every unlock), TestCipher in tests */
  cipher: SecretCipher;
  /** where the sealed data key is kept; default: a file in dataDir */
  keyStore?: SealedKeyStore;
  /** preferences; default: prefs.json in dataDir */
  prefs?: PrefsStore;
  /** how browser steps come back: the app registers multibank://; the CLI and dev bridge listen on loopback */
  redirectMode?: 'custom_scheme' | 'loopback';
  /** an OS notification (Electron Notification in the app) */
  notify?(title: string, body: string): void;
  now?: () => Date;
  fetch?: typeof fetch;
  /** provider registry; default main/providers/registry.ts (tests register scripted providers here) */
  providers?: ProviderRegistry;
  logger?: Logger;
  /** demo mode: start the sandbox keeping its world in stateFile (default: main/demo startDemoSandbox) */
  startDemo?: (o: { stateFile: string }) => Promise<DemoSandbox>;
  /** where the ECB's exchange-rate files are fetched from (default: MULTIBANK_RATES_HOST, else https://www.ecb.europa.eu;
   *  demo mode: the sandbox's copy) */
  ratesHost?: string;
  /** run the scheduler, the start-up consent check and overdue syncs (default true; the CLI passes false) */
  background?: boolean;
  /** how often the consent check runs while the service is open (default hourly) */
  consentCheckEveryMs?: number;
  /** opens dataDir/multibank.db before its checks and migrations (default openDatabaseFile); tests open it read-only or with a page limit (a full disk) */
  openDatabase?: (file: string) => Db;
  /** the database key (main/vault/dbkey.ts): with it the database and its backups are encrypted, and a plain database
   *  is converted on open; without it (tests) the database stays plain. Where a passphrase key file holds it, the app
   *  lock zeroes this Buffer */
  databaseKey?: Buffer;
}

/** The Service plus what main-side callers (the Electron glue, tests) may use directly. */
export interface MultibankService extends Service {
  /** announce consent notices that are due (start-up, hourly, after syncs); returns what was sent */
  checkConsents(): Array<{ connectionId: number; notice: 'lead' | 'expired' }>;
  /** wait until no sync is running (the CLI waits before it exits) */
  idle(): Promise<void>;
  /** the daily backup, when one is due (start-up and hourly do this too); null when not due or not possible now */
  backUpIfDue(): Promise<unknown>;
  /** how the last sync this service started for a connection ended (undefined while it runs or when none was started) */
  syncResult(connectionId: number): SyncResult | undefined;
  readonly dataDir: string;
}

/** Browser steps parked in the vault (encrypted: the provider's pending state may hold temporary tokens), named by a hash of the state. */
function vaultParking(vault: Vault, now: () => Date): LinkParking {
  const name = (state: string) => `link:${createHash('sha256').update(state).digest('hex')}`;
  // drop what expired while we were away (never in the way of starting: a vault that cannot be opened keeps them)
  try {
    for (const n of vault.names().filter((x) => x.startsWith('link:'))) {
      if ((JSON.parse(vault.get(n) ?? '{}') as ParkedLink).expiresAt <= now().getTime()) vault.delete(n);
    }
  } catch { /* the vault's key is unavailable now; the next start tries again */ }
  return {
    park: (state, link) => vault.set(name(state), JSON.stringify(link)),
    unpark(state) {
      const raw = vault.get(name(state));
      if (raw === undefined) return undefined;
      vault.delete(name(state));
      return JSON.parse(raw) as ParkedLink;
    },
    forget: (state) => vault.delete(name(state)),
    list: () => vault.names().filter((n) => n.startsWith('link:'))
      .map((n) => JSON.parse(vault.get(n) ?? '{}') as ParkedLink).filter((l) => l.expiresAt > now().getTime()),
  };
}

/** most local rows read per account as matching evidence (a month of a busy account fits) */
const MATCH_MAX_LOCAL_ROWS = 5000;

/** a local account's transactions in a window, as renewal matching compares them (hidden rows too: they are still the bank's) */
function localFingerprints(db: Db, accountId: number, window: { from: string; to: string }): Array<{ bookingDate: string; amount: number }> {
  const out: Array<{ bookingDate: string; amount: number }> = [];
  let cursor: string | undefined;
  do {
    const page = q.listTransactions(db, { accountIds: [accountId], ...window, includeHidden: true, sort: 'date_desc', limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.rows.map((t) => ({ bookingDate: t.bookingDate, amount: t.amount })));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < MATCH_MAX_LOCAL_ROWS);
  return out;
}

/** backup.restore replaces the database under the service: createService's wrapper answers it, not the core */
type CoreChannel = Exclude<Channel, 'backup.restore' | LockChannel>;
type Handlers = { [C in CoreChannel]: (req: ParsedRequestOf<C>) => Promise<Results[C]> | Results[C] };

/** requests that talk to an aggregator (or show where it is): the demo banks are started first when they should run */
const REACHES_AGGREGATOR = new Set<Channel>([
  'providers.list', 'institutions.list', 'link.begin', 'link.submit', 'link.poll', 'link.match', 'link.chooseAccounts',
  'connections.remove', 'revocations.retry', 'sync.run', 'networth.get',
]);

/** What a damaged database still answers: reading, preferences, checks and backups. Everything else would write. */
const ANSWERED_WHEN_DAMAGED = new Set<Channel>([
  'app.info', 'providers.list', 'connections.list', 'accounts.list', 'accounts.balanceHistory', 'accounts.monthly',
  'accounts.topCounterparties', 'overview.totals', 'transactions.list', 'transactions.get', 'sync.status', 'sync.log',
  'export.run', 'prefs.get', 'prefs.set', 'db.check', 'backup.list', 'backup.restore',
  'categories.list', 'rules.list', 'accounts.spendingByCategory',
  'transfers.list', 'transfers.get', 'accounts.historyGaps',
]);

function damagedError(health: DatabaseHealth): AppError {
  return new AppError('database_damaged', undefined, { problems: health.problems });
}

function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** why a folder cannot be made or used, in plain words */
function dataDirProblem(e: NodeJS.ErrnoException, path: string): MainMessage {
  switch (e.code) {
    case 'EEXIST': return { id: 'data_dir.is_file', values: { path } };
    case 'ENOTDIR': return { id: 'data_dir.part_is_file', values: { path } };
    case 'EACCES': case 'EPERM': return { id: 'data_dir.not_allowed', values: { path } };
    case 'EROFS': return { id: 'data_dir.read_only', values: { path } };
    case 'ENOSPC': return { id: 'data_dir.disk_full' };
    case 'ENOENT': return { id: 'data_dir.no_parent', values: { path: dirname(path) } };
    default: return verbatim(e.message);
  }
}

/**
 * The data dir exists and only its owner may enter it (an existing one too). Folders are made one by one: Node's
 * recursive mkdir never returns for a folder under /proc.
 */
export function ensurePrivateDataDir(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at) && dirname(at) !== at) { missing.unshift(at); at = dirname(at); }
  let current = at;
  try {
    for (current of missing) mkdirSync(current, { mode: 0o700 });
    current = resolve(dir);
    if (!statSync(current).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'EEXIST' });
  } catch (e) {
    throw new AppError('validation', { id: 'error.data_dir', values: { dir: resolve(dir), problem: dataDirProblem(e as NodeJS.ErrnoException, current) } }, { dataDir: resolve(dir) });
  }
  try { chmodSync(dir, 0o700); } catch { /* a file system without modes */ }
  // files an older version left readable by others (the database, its WAL, the log, preferences): owner-only now
  for (const name of readdirSync(dir)) {
    try { if (statSync(join(dir, name)).isFile()) chmodSync(join(dir, name), 0o600); } catch { /* gone, or no modes */ }
  }
}

/** The service over one opening of the database; createService wraps it so a restore can reopen it. */
async function openServiceCore(opts: ServiceOptions, log: Logger, prefs: PrefsStore): Promise<MultibankService> {
  const now = opts.now ?? (() => new Date());
  const dbFile = join(opts.dataDir, DATABASE_FILE);
  const existed = existsSync(dbFile);
  const inUse = markDatabaseInUse(dbFile);
  let opened: Awaited<ReturnType<typeof openCheckedDatabase>>;
  const key = opts.databaseKey;
  try {
    if (key && encryptDataDir(opts.dataDir, key, now())) log.info('the database and its backups are now encrypted');
    opened = await openCheckedDatabase(opts.dataDir, { unclean: inUse.unclean, now: now(), open: opts.openDatabase ?? (key && ((f) => openDatabaseFile(f, key))) });
  } catch (e) {
    inUse.release();
    if (e instanceof AppError) throw e;
    // a read-only or full disk says so; anything else that cannot even be opened is a damaged file
    const stored = storageError(e, { files: true });
    if (stored && stored.code !== 'database_damaged') throw stored;
    log.error('the database could not be opened', { error: e instanceof Error ? e.message : String(e) });
    throw new AppError('database_damaged', { id: 'error.database_unreadable', values: { file: dbFile, backups: join(opts.dataDir, BACKUP_DIR), command: 'multibank backup restore <name>' } });
  }
  const db: Db = opened.db;
  let health = opened.health;
  if (!health.ok) log.error('the database failed its integrity check', { check: health.check, problems: health.problems.join('; ') });
  // one at a time (start-up and the hourly timer may meet); close() waits for a copy under way
  let backupRun: Promise<BackupInfo | null> | null = null;
  const backUpIfDue = () => backupRun ??= (async () => {
    if (!health.ok || closed) return null;
    try {
      return await backUpDailyIfDue(db, opts.dataDir, now());
    } catch (e) {
      log.warn('the daily backup failed', { error: e instanceof Error ? e.message : String(e) });
      return null;
    }
  })().finally(() => { backupRun = null; });
  const repos: Repositories = createRepositories(db, { now });
  const vault = new Vault({
    db, cipher: opts.cipher, keyStore: opts.keyStore ?? new FileSealedKeyStore(opts.dataDir),
    allowPlainText: () => prefs.get().allowPlainTextSecrets,
  });
  const hub: ProviderHub = createProviderHub({
    repos, secrets: vault, registry: opts.providers ?? PROVIDERS, fetch: opts.fetch, now,
    isDemo: (c) => demoAddresses(repos)[c.provider] === c.baseUrl,
  });
  const events = createEventHub((e) => log.warn('event listener failed', { error: String(e) }));
  const emit = <E extends EventName>(event: E, payload: EventOf<E>) => events.emit(event, payload);
  let closed = false;

  // ---- redirects: multibank:// (registered by the app) or a loopback listener started on first need
  let loopback: Promise<LoopbackListener> | null = null;
  let loopbackCheck: NodeJS.Timeout | undefined;
  let linksBeginning = 0;
  const ensureLoopback = () => {
    if (loopback) return loopback;
    loopbackCheck = setInterval(() => closeLoopbackWhenUnused(), 60_000);
    loopbackCheck.unref();
    return (loopback = startLoopbackListener({ onRedirect: (url) => service.handleRedirect(url) }));
  };
  /** the loopback port is open only while a link waits for its browser: closed once the last one finished, was
   *  cancelled or expired (checked after every link call and every minute) */
  const closeLoopbackWhenUnused = () => {
    if (!loopback || linksBeginning > 0 || links.awaitingRedirect()) return;
    const closing = loopback;
    loopback = null;
    clearInterval(loopbackCheck);
    void closing.then((l) => l.close(), () => undefined);
  };
  /** a link call, then the loopback check */
  const linkCall = async <T>(fn: () => Promise<T> | T): Promise<T> => {
    try { return await fn(); } finally { closeLoopbackWhenUnused(); }
  };
  const redirectUri = async (p: Provider): Promise<string> => {
    const kinds = p.capabilities.redirects;
    if (opts.redirectMode !== 'loopback' && kinds.includes('custom_scheme')) return CUSTOM_SCHEME_REDIRECT;
    if (kinds.includes('loopback')) return (await ensureLoopback()).redirectUri;
    if (kinds.includes('custom_scheme')) return CUSTOM_SCHEME_REDIRECT;
    // an https-only aggregator (Enable Banking) returns to the HTTPS address registered with the user's own application,
    // which the provider holds; the user pastes the address the browser ended on (handleRedirect)
    if (kinds.includes('https')) return '';
    throw new AppError('not_configured', { id: 'error.no_redirect', values: { provider: hub.entry(p.id).name } });
  };
  /** the shapes of our redirect addresses; what makes a redirect genuine is its single-use state, checked by the link manager.
   *  Any loopback port is accepted: a link parked by an earlier run (CLI `connect --no-wait`) came back to that run's port. */
  const isRedirectUrl = (u: URL): boolean => {
    if (u.protocol === 'multibank:') return u.hostname === 'oauth' && u.pathname === '/callback';
    // a pasted address an https-only aggregator returned to: good only for a link waiting for a paste (links.ts), whose
    // provider checks the address against the one registered
    if (u.protocol === 'https:') return true;
    return u.protocol === 'http:' && u.hostname === '127.0.0.1' && u.pathname === '/callback';
  };

  // ---- sync (main/sync engine)
  const sync = createSync({ db, repos, hub, now, prefs, emit, log, onFinished: (connectionId) => {
    emit('connections.changed', { connectionId });
    service.checkConsents();
  } });

  const revocations = createRevocations({ vault, hub, now, log });

  const connectionOrThrow = (id: number): ConnectionRow => {
    const c = repos.connections.get(id);
    if (!c) throw new AppError('not_found', { id: 'error.connection_gone' });
    return c;
  };
  /** a connection that may still talk to its aggregator (not removed) */
  const liveConnection = (id: number): ConnectionRow => {
    const c = connectionOrThrow(id);
    if (c.removedAt) throw new AppError('validation', { id: 'error.connection_removed' });
    return c;
  };
  const today = () => now().toISOString().slice(0, 10);

  const links: LinkManager = createLinkManager({
    repos, hub, now,
    parking: vaultParking(vault, now),
    redirectUri,
    isRedirectUrl,
    toAccountDto: (a) => q.getAccount(db, a.id),
    localFingerprints: (accountId, window) => localFingerprints(db, accountId, window),
    lastTransactionDate: (accountId) => q.listTransactions(db, { accountIds: [accountId], includeHidden: true, sort: 'date_desc', limit: 1 }).rows[0]?.bookingDate ?? null,
    onStepChanged: (step) => emit('link.changed', step),
    onLinked: (connectionId, renewed) => {
      emit('connections.changed', { connectionId });
      // a renewal continues syncing at once, with its new tokens: a run that began before it (with the old consent,
      // which it would write back at its end) is followed by a new one; a new link syncs after the user chose its accounts
      if (renewed) sync.start([connectionId], 'user', { fresh: true });
      service.checkConsents();
    },
  });

  const notifier = createConsentNotifier({
    saveNotices: (id, notices) => repos.connections.setNotices(id, notices),
    now, leadDays: () => prefs.get().consentLeadDays,
    emit: (p) => emit('consent.warning', p),
    notify: opts.notify && ((title, body) => {
      // the person's language preference (Settings), else the system's
      const language = prefs.get().language;
      opts.notify!(formatMessage(language, title.id, title.values), formatMessage(language, body.id, body.values));
    }),
  });

  const providerList = (): ProviderDto[] => {
    const secrets = new Set(vault.names());
    return PROVIDER_IDS.filter((id) => hub.registry[id]).map((id) => providerDto(id, hub.registry[id]!, repos.providerConfigs.get(id), secrets.has(clientSecretName(id))));
  };

  async function configure(req: ParsedRequestOf<'providers.configure'>): Promise<ProviderDto> {
    const entry = hub.entry(req.provider);
    const unknown = Object.keys(req.options).filter((k) => !entry.optionNames.includes(k));
    if (unknown.length) throw new AppError('validation', { id: 'error.unknown_option', values: { provider: entry.name, options: unknown.join(', '), known: entry.optionNames.join(', ') || '-' } });
    // an omitted secret reuses the stored one only for the host it was entered for
    const clientSecret = req.clientSecret ?? hub.storedClientSecret(req, 'validation');
    if (!clientSecret) throw new AppError('validation', { id: 'error.needs_client_secret', values: { provider: entry.name } });
    // refuse before any network call when secrets cannot be stored
    assertCanStoreSecrets({ cipher: opts.cipher, allowPlainText: prefs.get().allowPlainTextSecrets });
    const candidate = { provider: req.provider, baseUrl: req.baseUrl, clientId: req.clientId, clientSecret, options: req.options };
    await hub.build(candidate).checkConfig();
    db.transaction(() => {
      repos.providerConfigs.upsert({ provider: req.provider, baseUrl: req.baseUrl, clientId: req.clientId, options: req.options });
      hub.saveClientSecret(req, clientSecret);
    })();
    hub.invalidate(req.provider);
    return providerList().find((p) => p.id === req.provider)!;
  }

  const demo = createDemoBanks({
    dataDir: opts.dataDir, repos, hub, log, configure, providerList,
    // the sandbox is found from this file's location (the clone), not from the process's working directory
    launch: opts.startDemo ?? ((o) => startDemoSandbox({ cwd: fileURLToPath(new URL('../..', import.meta.url)), stateFile: o.stateFile, now: now() })),
    onChange: (status) => emit('demo.changed', status),
  });

  /**
   * Remove a connection: withdraw access at the aggregator, then forget its secrets here. When the aggregator cannot be
   * reached the removal stops and says so; with localOnly it is removed here anyway and the withdrawal waits (revocations).
   */
  async function removeConnection(connectionId: number, deleteLocalData: boolean, localOnly: boolean): Promise<null> {
    const conn = connectionOrThrow(connectionId);
    if (!conn.removedAt) {
      await sync.cancel(connectionId);
      const ctx = hub.context(conn);
      // a second link of an already linked bank may have got the same aggregator-side connection as the first (the
      // same remote ids): removing the duplicate must leave the other's alone
      const remoteKey = (c: ConnectionRow) => JSON.stringify(Object.entries(c.remote).sort());
      const shared = repos.connections.list({ provider: conn.provider }).some((c) => c.id !== conn.id && remoteKey(c) === remoteKey(conn));
      if (shared) log.info('remote removal skipped: another connection uses it', { connectionId });
      else if (localOnly) revocations.keep(conn, ctx);
      else {
        try {
          await hub.get(conn.provider).remove(ctx);
        } catch (e) {
          // already gone at the aggregator (or the aggregator is no longer configured): removing locally is what is left
          if (!isGoneAtAggregator(e)) {
            const name = hub.entry(conn.provider).name;
            const why: MainMessage = e instanceof AppError ? e.msg : { id: 'error.no_answer' };
            throw new AppError(e instanceof AppError ? e.code : 'internal', { id: 'error.remove_failed', values: { bank: conn.institutionName, aggregator: name, why } }, { localOnlyPossible: true });
          }
          log.info('remote removal skipped', { connectionId, code: e instanceof AppError ? e.code : 'internal' });
        }
      }
      vault.deletePrefix(connectionSecretsPrefix(connectionId));
    }
    if (deleteLocalData) repos.connections.delete(connectionId);
    else repos.connections.markRemoved(connectionId);
    emit('connections.changed', { connectionId });
    return null;
  }

  async function chooseAccounts(connectionId: number, accountIds: number[]) {
    const conn = liveConnection(connectionId);
    const accounts = repos.accounts.listByConnection(connectionId);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const foreign = accountIds.filter((id) => !byId.has(id));
    if (foreign.length) throw new AppError('validation', { id: 'error.account_not_of_connection', values: { accounts: foreign.join(', '), connectionId } });
    const provider = hub.get(conn.provider);
    if (provider.selectAccounts) await provider.selectAccounts(hub.context(conn), accountIds.map((id) => byId.get(id)!.remoteId));
    // A renewal already synced when it completed: sync again only for what that run could not have fetched.
    const newlyChosen = accountIds.some((id) => !byId.get(id)!.selected);
    repos.accounts.setSelected(connectionId, accountIds);
    emit('connections.changed', { connectionId });
    if (!conn.lastSuccessAt || newlyChosen) sync.start([connectionId], 'user');
    return q.listAccounts(db, { connectionId });
  }

  /** a statement file into an account (main/import); the CSV mapping given is remembered for its layout */
  const statementImportCall = (req: ParsedRequestOf<'import.run'>, dryRun: boolean) => {
    const result = importStatement(db, {
      fileName: req.fileName, bytes: Buffer.from(req.content, 'base64'), accountId: req.accountId, newAccount: req.newAccount, format: req.format,
      encoding: req.encoding, csvMapping: req.csvMapping, dryRun,
    }, now);
    if (!dryRun) emit('connections.changed', { connectionId: null });
    return result;
  };

  const prefsSet = (req: ParsedRequestOf<'prefs.set'>): PrefsDto => {
    const next = prefs.set(req);
    sync.reschedule();
    if (req.consentLeadDays !== undefined) service.checkConsents();
    return next;
  };

  const connectionViews = (): ConnectionView[] => {
    const leadDays = prefs.get().consentLeadDays;
    const next = sync.nextScheduledAt();
    return repos.connections.list({ includeRemoved: true }).map((c) => connectionDto(c, now(), leadDays, next));
  };

  /** a read app.info makes; on a damaged database it may fail, and app.info must still say what happened */
  const unlessDamaged = <T,>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (e) {
      if (health.ok) throw e;
      return fallback;
    }
  };

  /** forget every saved secret; live connections then need a new sign-in (their data stays) */
  const resetVault = (): null => {
    db.transaction(() => {
      vault.reset();
      for (const c of repos.connections.list()) repos.connections.setState(c.id, 'needs_user', { id: 'consent.secrets_reset' });
    })();
    for (const id of PROVIDER_IDS) hub.invalidate(id);
    emit('connections.changed', { connectionId: null });
    return null;
  };

  // ---- net worth in one currency, the same account once (issue 19)
  const rates = createRates({
    db, meta: repos.meta, fetch: opts.fetch, now,
    // the demo banks' copy while they run here; else the configured host (a mirror, a test's); else the ECB
    host: () => (demo.wanted() ? demoRatesHost(repos) : undefined) ?? opts.ratesHost ?? process.env.MULTIBANK_RATES_HOST ?? ECB_DEFAULT_HOST,
  });
  /** accounts, each naming the other connections that reach the same bank account */
  const accountsWithCopies = () => {
    const groups = copyGroups(db);
    const all = q.listAccounts(db);
    const byId = new Map(all.map((a) => [a.id, a]));
    return all.map((a) => {
      const g = groups.get(a.id);
      if (!g) return a;
      const copies = g.accountIds.map((id) => byId.get(id)!).map((c) => ({ accountId: c.id, connectionId: c.connectionId, provider: c.provider, institutionName: c.institutionName }));
      return { ...a, sameAccount: { primaryId: g.primaryId, copies } };
    });
  };
  /** a filter over all accounts counts each bank account once; one naming accounts gets what it names */
  const oneCopyEach = <F extends { accountIds?: number[] }>(f: F): F & { excludeAccountIds?: number[] } => (f.accountIds?.length ? f : { ...f, excludeAccountIds: hiddenCopies(db) });
  const networthHandlers = {
    'networth.get': async (req: ParsedRequestOf<'networth.get'>) => {
      const base = req?.base ?? prefs.get().baseCurrency;
      // no request to the ECB while every counted account is already in the base currency
      const ratesProblem = countedAccounts(db).some((a) => a.currency !== base) ? await rates.refresh() : null;
      return netWorth(db, rates, { base, today: today(), months: req?.months ?? 12, ratesProblem });
    },
    'accounts.prefer': (req: ParsedRequestOf<'accounts.prefer'>) => {
      q.getAccount(db, req.accountId);
      if (!preferCopy(db, req.accountId)) throw new AppError('validation', { id: 'error.no_other_copy' });
      emit('connections.changed', { connectionId: null });
      return accountsWithCopies();
    },
  };

  const handlers: Handlers = {
    ...networthHandlers,
    'app.info': () => ({
      version: appVersion(), demo: unlessDamaged(() => repos.meta.get('demo') === '1', false), secretStorage: vault.status(), dataDir: opts.dataDir,
      database: { ok: health.ok, check: health.check, problems: health.problems }, vaultLocked: unlessDamaged(() => vault.locked(), null),
      notices: prefs.notices ?? [],
    }),
    'providers.list': () => providerList(),
    'providers.configure': (req) => configure(req),
    'demo.start': () => {
      // refuse before the demo banks start: a sandbox started only to be stopped again costs seconds for nothing
      assertCanStoreSecrets({ cipher: opts.cipher, allowPlainText: prefs.get().allowPlainTextSecrets });
      return demo.start();
    },
    'demo.status': () => demo.status(),
    'demo.stop': () => demo.stop(),
    'institutions.list': async (req) => (await hub.get(req.provider).listInstitutions(req.query)).map((i) => ({
      id: i.id, name: i.name, ...(i.country ? { country: i.country } : {}), ...(i.methods ? { methods: [...i.methods] } : {}),
    })),
    'link.begin': (req) => linkCall(async () => {
      linksBeginning++; // its listener is opened before its browser step exists: not closed meanwhile
      try { return await links.begin(req); } finally { linksBeginning--; }
    }),
    'link.submit': (req) => linkCall(() => links.submit(req.linkId, req.values)),
    'link.poll': (req) => linkCall(() => links.poll(req.linkId)),
    'link.match': (req) => linkCall(() => links.match(req.linkId, req.choices)),
    'link.cancel': (req) => linkCall(() => { links.cancel(req.linkId); return null; }),
    'link.chooseAccounts': (req) => chooseAccounts(req.connectionId, req.accountIds),
    'connections.list': () => connectionViews(),
    'connections.remove': (req) => removeConnection(req.connectionId, req.deleteLocalData, req.localOnly ?? false),
    'revocations.list': () => revocations.list(),
    'revocations.retry': (req) => revocations.retry(req.connectionId),
    'revocations.forget': (req) => revocations.forget(req.connectionId),
    'accounts.list': () => accountsWithCopies(),
    'accounts.balanceHistory': (req) => q.balanceHistory(db, req.accountId, { from: req.from, to: req.to, today: today() }),
    'accounts.monthly': (req) => q.monthlyInOut(db, req.accountId, req.months, today()),
    'accounts.topCounterparties': (req) => q.topCounterparties(db, req.accountId, req.limit, { today: today() }),
    'overview.totals': () => q.overviewTotals(db),
    'transactions.list': (req) => q.listTransactions(db, oneCopyEach(req)),
    'transactions.get': (req) => q.getTransactionDetail(db, req.id),
    'transactions.update': (req) => {
      const { id, ...edit } = req;
      if (!repos.transactions.update(id, edit)) throw new AppError('not_found', { id: 'error.transaction_gone' });
      return q.getTransaction(db, id);
    },
    'sync.run': (req) => ({ started: sync.start(req.connectionId !== undefined ? [liveConnection(req.connectionId).id] : sync.runnable(), 'user') }),
    'sync.cancel': async (req) => { await sync.cancel(req.connectionId); return null; },
    'sync.status': () => sync.status(),
    'sync.log': (req) => q.syncLog(db, req),
    'accounts.unreadable': (req) => q.unreadableRows(db, { accountId: q.getAccount(db, req.accountId).id }),
    'sync.report': (req) => {
      const run = q.syncRun(db, req.runId);
      const aside = run.connectionId === null ? [] : q.unreadableRows(db, { connectionId: run.connectionId });
      return problemReport(run, sync.trace(req.runId), aside, { version: appVersion(), now: now() });
    },
    'export.run': (req) => sync.exportRows(oneCopyEach(req)),
    'prefs.get': () => prefs.get(),
    'prefs.set': (req) => prefsSet(req),
    'db.check': () => {
      const full = checkDatabase(db, 'full');
      if (!full.ok && health.ok) {
        db.pragma('query_only = ON');
        log.error('the database failed its integrity check', { check: 'full', problems: full.problems.join('; ') });
      }
      if (!full.ok || health.ok) health = full;
      return { ok: full.ok, check: full.check, problems: full.problems };
    },
    'backup.list': () => listBackups(opts.dataDir),
    'backup.create': () => createBackup(db, opts.dataDir, 'manual', now()),
    'vault.reset': () => resetVault(),
    'categories.list': () => categories.listCategories(db),
    'categories.add': (req) => categories.addCategory(db, req.name),
    'categories.rename': (req) => categories.renameCategory(db, req.id, req.name),
    'categories.remove': (req) => categories.removeCategory(db, req.id, req.moveTo),
    'rules.list': () => categories.listRules(db),
    'rules.add': (req) => categories.addRule(db, req, now()),
    'rules.remove': (req) => { categories.removeRule(db, req.id); return null; },
    'rules.move': (req) => categories.moveRule(db, req.id, req.position),
    'rules.apply': (req) => categories.applyRules(db, req),
    'accounts.spendingByCategory': (req) => categories.spendingByCategory(db, q.getAccount(db, req.accountId).id, req.months, today()),
    'import.inspect': (req) => inspectStatement(db, Buffer.from(req.content, 'base64'), req.encoding),
    'import.preview': (req) => statementImportCall(req, true),
    'import.run': (req) => statementImportCall(req, false),
    'import.undo': (req) => {
      const undone = undoStatementImport(db, req.importId, now);
      emit('connections.changed', { connectionId: null });
      return undone;
    },
    'import.list': (req) => listImports(db, req.accountId),
    // ---- transfers between own accounts and the balance check (issue 19)
    'transfers.list': (req) => transfers.listTransfers(db, { accountId: req.accountId }),
    'transfers.get': (req) => transfers.transferOf(db, req.transactionId),
    'transfers.unlink': (req) => { transfers.unlinkTransfer(db, req.transactionId); return null; },
    'transfers.confirm': (req) => transfers.confirmTransfer(db, req.transactionId),
    'accounts.historyGaps': (req) => historyGaps(db, req.accountId),
    'import.removeManualAccount': (req) => {
      const r = deleteManualAccount(db, req.accountId);
      emit('connections.changed', { connectionId: null });
      return r;
    },
  };

  const service: MultibankService = {
    dataDir: opts.dataDir,
    async call(channel, request) {
      if (closed) throw new AppError('internal', { id: 'error.shutting_down' });
      if (!health.ok && !ANSWERED_WHEN_DAMAGED.has(channel)) throw damagedError(health);
      const handler = handlers[channel as CoreChannel] as unknown as (req: typeof request) => Promise<Results[typeof channel]> | Results[typeof channel];
      if (!handler) throw new AppError('validation', { id: 'error.unknown_request', values: { channel: String(channel) } });
      try {
        if (health.ok && REACHES_AGGREGATOR.has(channel)) await demo.ready();
        return await handler(request);
      } catch (e) {
        const stored = storageError(e);
        if (!(e instanceof AppError)) log.error('request failed', { channel, error: e instanceof Error ? e.stack ?? e.message : String(e) });
        throw stored ?? (e instanceof AppError ? e : new AppError('internal'));
      }
    },
    on: (event, listener) => events.on(event, listener),
    async handleRedirect(url) {
      try {
        if (typeof url !== 'string' || url.length > 8192) return false;
        return await linkCall(() => links.handleRedirect(url));
      } catch (e) {
        log.warn('redirect refused', { error: toErrorDto(e).code });
        return false;
      }
    },
    checkConsents() {
      try {
        return notifier.check(repos.connections.list().map((c) => ({
          id: c.id, institutionName: c.institutionName, state: c.state, expiresAt: c.consentExpiresAt, notices: c.notices,
        })));
      } catch (e) {
        log.warn('consent check failed', { error: String(e) });
        return [];
      }
    },
    idle: () => sync.idle(),
    backUpIfDue,
    syncResult: (connectionId) => sync.lastResult(connectionId),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(consentTimer);
      await backupRun;
      await sync.close();
      clearInterval(loopbackCheck);
      if (loopback) await (await loopback.catch(() => null))?.close();
      await demo.close();
      vault.forget();
      db.close();
      inUse.release();
    },
  };

  // ---- start-up: the daily backup (not of a database created just now), the consent check now and hourly (with the
  // daily backup); the scheduler (and overdue syncs) when running in the background. A damaged database does neither.
  if (existed) await backUpIfDue();
  if (health.ok) service.checkConsents();
  const consentTimer = setInterval(() => { if (health.ok) service.checkConsents(); void backUpIfDue(); }, opts.consentCheckEveryMs ?? 3_600_000);
  consentTimer.unref();
  if (opts.background !== false && health.ok) {
    const startBackground = () => {
      if (closed) return;
      sync.startScheduler();
      // withdrawals at aggregators that could not be reached when their connections were removed: one quiet try per start
      void revocations.retryAll();
    };
    // the demo banks first (when used here and not stopped), so that overdue syncs of demo connections find them
    if (demo.wanted()) void demo.ready().then(startBackground);
    else startBackground();
  }
  return service;
}

/**
 * The service: the core over the open database, reopened when a backup is restored (the core closes, the database
 * files are swapped, a new core opens); listeners stay subscribed across a restore.
 */
export async function createService(opts: ServiceOptions): Promise<MultibankService> {
  ensurePrivateDataDir(opts.dataDir);
  const now = opts.now ?? (() => new Date());
  const log = opts.logger ?? createLogger({ file: join(opts.dataDir, 'multibank.log') });
  const prefs = opts.prefs ?? createJsonPrefsStore(join(opts.dataDir, 'prefs.json'));
  for (const notice of prefs.notices ?? []) log.warn(english(notice));
  const events = createEventHub((e) => log.warn('event listener failed', { error: String(e) }));
  /** what the core opens with: the database key and the vault cipher made from it are replaced at every unlock */
  let keyed: ServiceOptions = opts;
  /** the core over the open database; null while a lock has closed it */
  let core: MultibankService | null = null;
  let unforward: Array<() => void> = [];
  const open = async () => {
    const opened = await openServiceCore(keyed, log, prefs);
    core = opened;
    // nothing of the user's reaches a locked renderer, not even through events
    unforward = EVENT_NAMES.map((e) => opened.on(e, (payload) => { if (!locked) events.emit(e, payload); }));
  };
  const closeCore = async () => {
    const closing = core;
    core = null;
    await closing?.close();
    for (const off of unforward) off();
    unforward = [];
  };
  const openCore = (): MultibankService => {
    if (!core) throw new AppError('locked');
    return core;
  };
  // ---- the app lock: while locked every channel but lock.* is refused with `locked` (IPC, dev bridge and CLI alike).
  // Where a passphrase holds the key, locking also closes the database (background syncs stop first, at a step's end)
  // and zeroes the key and the vault cipher made from it; unlocking derives the key again from the passphrase (wrong
  // tries counted and slowed down as at start) and reopens, which resumes the scheduler. Where the OS keyring holds
  // the key, the lock is a screen over the open database that a click dismisses (the OS guards the session).
  let locked = false;
  const byPassphrase = () => !!opts.databaseKey && hasPassphrase(opts.dataDir);
  const lockStatus = (): LockStatusDto => ({
    locked, unlockWith: hasPassphrase(opts.dataDir) ? 'passphrase' : 'click', lockAfterMinutes: prefs.get().lockAfterMinutes, language: prefs.get().language,
  });
  const setLocked = (next: boolean) => {
    if (next !== locked) { locked = next; events.emit('lock.changed', { locked }); log.info(locked ? 'locked' : 'unlocked'); }
    return lockStatus();
  };
  /** closing at a lock and reopening at an unlock run one at a time, and not during a restore */
  let lockStep: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const step = lockStep.catch(() => undefined).then(async () => {
      while (restoring) await restoring.catch(() => {});
      return fn();
    });
    lockStep = step;
    return step;
  };
  const lockCall = async (channel: LockChannel, request: ParsedRequestOf<'lock.unlock'> | undefined): Promise<LockStatusDto> => {
    if (channel === 'lock.lock' && !locked) {
      setLocked(true); // refused from this moment; the database closes behind it
      if (byPassphrase()) {
        await inTurn(async () => {
          await closeCore();
          keyed.databaseKey?.fill(0);
          if (keyed.cipher instanceof DatabaseKeyCipher) keyed.cipher.forget();
          keyed = { ...opts, databaseKey: undefined };
        });
      }
      return lockStatus();
    }
    if (channel === 'lock.unlock' && locked) {
      if (lockStatus().unlockWith === 'passphrase') {
        if (!request?.passphrase) throw new AppError('passphrase_required', { id: 'error.unlock_needs_passphrase' });
        const passphrase = request.passphrase;
        await inTurn(async () => {
          const key = await unlockWithPassphrase(opts.dataDir, passphrase, now());
          if (core) return;
          keyed = { ...opts, databaseKey: key, cipher: new DatabaseKeyCipher(key) };
          await open();
        });
      }
      return setLocked(false);
    }
    return lockStatus();
  };
  await open();
  /** a restore in progress: requests wait for it */
  let restoring: Promise<unknown> | null = null;

  async function restore(name: string): Promise<Results['backup.restore']> {
    const backup = listBackups(opts.dataDir).find((b) => b.name === name);
    if (!backup) throw new AppError('not_found', { id: 'error.no_backup', values: { name } });
    const health = checkBackup(opts.dataDir, name, keyed.databaseKey);
    if (!health.ok) throw new AppError('database_damaged', { id: 'error.backup_damaged', values: { name } }, { problems: health.problems });
    await closeCore();
    let keptAside: string;
    try {
      keptAside = restoreBackupFiles(opts.dataDir, name, now());
    } finally {
      await open(); // the restored database, or the old one when the files could not be swapped
    }
    log.info('restored a backup', { name, keptAside });
    events.emit('connections.changed', { connectionId: null });
    return { restored: backup, keptAside };
  }

  return {
    dataDir: opts.dataDir,
    async call(channel, request) {
      if ((LOCK_CHANNELS as readonly Channel[]).includes(channel)) return lockCall(channel as LockChannel, request as ParsedRequestOf<'lock.unlock'>) as Promise<Results[typeof channel]>;
      if (locked) throw new AppError('locked');
      while (restoring) await restoring.catch(() => {});
      if (channel !== 'backup.restore') return openCore().call(channel, request);
      const running = restore((request as ParsedRequestOf<'backup.restore'>).name);
      restoring = running;
      try {
        return (await running) as Results[typeof channel];
      } finally {
        restoring = null;
      }
    },
    on: (event, listener) => events.on(event, listener),
    // while a lock has closed the database: no browser step can finish, nothing is due, nothing runs
    handleRedirect: async (url) => (core ? core.handleRedirect(url) : false),
    checkConsents: () => core?.checkConsents() ?? [],
    idle: async () => { await core?.idle(); },
    backUpIfDue: async () => (core ? core.backUpIfDue() : null),
    syncResult: (connectionId) => core?.syncResult(connectionId),
    close: async () => { await lockStep.catch(() => undefined); await core?.close(); },
  };
}
