// The one IPC contract: channel name -> zod schema of the request and the TypeScript type of the result.
// Main validates every call against it, preload builds the bridge from it, the renderer imports its types.
import { z } from 'zod';
import { CONSENT_STATES } from './consent.js';
import { ERROR_CODE_LIST } from './errors.js';
import type { Message } from './message.js';
import { statementImport, type ImportInspectDto, type ImportResultDto, type StatementImportDto } from './imports.js';
import { PROVIDER_IDS } from './providers.js';
import { transferRequests, type TransferResults } from './transfers.js';
import { currencyCode, networthRequests, type NetworthResults, type SameAccountDto } from './networth.js';
import { LOCK_AFTER_MINUTES, lockRequests, type LockAfterMinutes, type LockResults } from './lock.js';

const id = z.number().int().positive();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const providerId = z.enum(PROVIDER_IDS);
const none = z.undefined().or(z.object({}).strict());
/** the languages the app speaks (locales/ holds their catalogues; test/unit/locales checks both lists agree) */
export const LANGUAGE_CODES = ['en', 'de', 'fr', 'sk', 'pl'] as const;
export type LanguageCode = (typeof LANGUAGE_CODES)[number];

export const consentState = z.enum(CONSENT_STATES);

/** Which transactions: shared by transactions.list and export.run. */
const transactionFilter = {
  accountIds: z.array(id).max(500).optional(),
  search: z.string().max(200).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** size of the amount whatever its sign, in the currency's main unit ("500", "12.50"); in or out is `direction` */
  minSize: z.string().regex(/^\d{1,11}(\.\d{1,4})?$/).optional(),
  maxSize: z.string().regex(/^\d{1,11}(\.\d{1,4})?$/).optional(),
  direction: z.enum(['in', 'out']).optional(),
  status: z.enum(['pending', 'booked']).optional(),
  /** also rows the user hid (default: left out) */
  includeHidden: z.boolean().optional(),
  /** only this category; null: only transactions without one */
  category: z.string().max(100).nullable().optional(),
};
// a schema's own words are catalogue ids (locales/messages field.*): main says them in the reader's language
const categoryName = z.string().trim().min(1, 'field.category_name_empty').max(100, 'field.category_name_long');
/** the size of an amount (no sign) in the transaction's currency, as a decimal: '12.50' */
const amountSize = z.string().regex(/^\d{1,12}(\.\d{1,3})?$/, 'field.amount');

export const requests = {
  'app.info': none,
  'providers.list': none,
  'providers.configure': z.object({
    provider: providerId,
    baseUrl: z.url({ protocol: /^https?$/ }),
    clientId: z.string().min(1).max(500),
    /** omitted = keep the stored one */
    clientSecret: z.string().min(1).max(2000).optional(),
    options: z.record(z.string().max(64), z.string().max(500)).default({}),
  }).strict(),
  'demo.start': none,
  /** whether the demo banks run, and where (Settings, Link a bank) */
  'demo.status': none,
  /** stop the demo banks this Multibank started; they are not started again with Multibank until demo.start */
  'demo.stop': none,
  'institutions.list': z.object({ provider: providerId, query: z.string().max(100).default('') }).strict(),
  'link.begin': z.object({ provider: providerId, institutionId: z.string().max(200).optional(), renewConnectionId: id.optional() }).strict(),
  'link.submit': z.object({ linkId: z.string().min(8).max(100), values: z.record(z.string().max(100), z.string().max(1000)) }).strict(),
  'link.poll': z.object({ linkId: z.string().min(8).max(100) }).strict(),
  'link.cancel': z.object({ linkId: z.string().min(8).max(100) }).strict(),
  'link.chooseAccounts': z.object({ connectionId: id, accountIds: z.array(id).max(500) }).strict(),
  /** answers to a renewal's 'match' step: per remote account, the local account it continues (null = a new account) */
  'link.match': z.object({
    linkId: z.string().min(8).max(100),
    choices: z.array(z.object({ remoteKey: z.string().min(1).max(200), accountId: id.nullable() }).strict()).max(500),
  }).strict(),
  'connections.list': none,
  /** localOnly: remove it from this computer without asking the aggregator (it cannot be reached); the withdrawal
   *  at the aggregator is then kept as pending (revocations.*) and retried at the next start */
  'connections.remove': z.object({ connectionId: id, deleteLocalData: z.boolean(), localOnly: z.boolean().optional() }).strict(),
  'revocations.list': none,
  'revocations.retry': z.object({ connectionId: id }).strict(),
  'revocations.forget': z.object({ connectionId: id }).strict(),
  'accounts.list': none,
  'accounts.balanceHistory': z.object({ accountId: id, from: isoDate.optional(), to: isoDate.optional() }).strict(),
  'accounts.monthly': z.object({ accountId: id, months: z.number().int().min(1).max(120).default(12) }).strict(),
  'accounts.topCounterparties': z.object({ accountId: id, limit: z.number().int().min(1).max(50).default(10) }).strict(),
  'overview.totals': none,
  'transactions.list': z.object({
    ...transactionFilter,
    sort: z.enum(['date_desc', 'date_asc', 'amount_desc', 'amount_asc']).default('date_desc'),
    /** opaque keyset cursor from the previous page */
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(500).default(50),
  }).strict(),
  'transactions.get': z.object({ id }).strict(),
  'transactions.update': z.object({
    id,
    category: z.string().max(100).nullable().optional(),
    note: z.string().max(2000).nullable().optional(),
    hidden: z.boolean().optional(),
  }).strict(),
  'sync.run': z.object({ connectionId: id.optional() }).strict(),
  'sync.cancel': z.object({ connectionId: id.optional() }).strict(),
  'sync.status': none,
  'sync.log': z.object({ connectionId: id.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
  // -- rows a sync could not read, and problem reports (issue 16)
  /** an account's transactions kept aside because they could not be read */
  'accounts.unreadable': z.object({ accountId: id }).strict(),
  /** a redacted diagnostics file for one sync run (no value, token, IBAN, name or amount in it) */
  'sync.report': z.object({ runId: id }).strict(),
  /** the same filters as transactions.list: an export of a search result has exactly the rows the list shows */
  'export.run': z.object({
    format: z.enum(['csv', 'ofx', 'json']),
    ...transactionFilter,
  }).strict(),
  'prefs.get': none,
  'prefs.set': z.object({
    theme: z.enum(['system', 'light', 'dark']).optional(),
    syncEveryHours: z.number().int().min(1).max(168).optional(),
    consentLeadDays: z.number().int().min(1).max(60).optional(),
    allowPlainTextSecrets: z.boolean().optional(),
    baseCurrency: currencyCode.optional(),
    lockAfterMinutes: z.union(LOCK_AFTER_MINUTES.map((m) => z.literal(m)) as unknown as [z.ZodLiteral<LockAfterMinutes>, z.ZodLiteral<LockAfterMinutes>]).optional(),
    language: z.enum(LANGUAGE_CODES).optional(),
  }).strict(),
  // ---- database integrity, backups, vault reset (main/store/backup.ts, main/vault)
  /** the full integrity check now (slow on a large database) */
  'db.check': none,
  'backup.list': none,
  'backup.create': none,
  /** put a backup (a name from backup.list) in place of the database; the current one is kept aside */
  'backup.restore': z.object({ name: z.string().regex(/^multibank-[\w.-]+\.db$/).max(200) }).strict(),
  /** forget every saved secret (tokens, aggregator secrets) when their key is lost; connections and history stay */
  'vault.reset': none,
  // ---- categories and the rules that set them (main/store/categories.ts)
  'categories.list': none,
  'categories.add': z.object({ name: categoryName }).strict(),
  /** its transactions carry the new name */
  'categories.rename': z.object({ id, name: categoryName }).strict(),
  /** its transactions and rules move to moveTo; null: its transactions are left without a category and its rules go */
  'categories.remove': z.object({ id, moveTo: id.nullable() }).strict(),
  /** rules in the order they are tried: the first that matches gives the category */
  'rules.list': none,
  'rules.add': z.object({
    categoryId: id,
    /** the counterparty or the description contains this (no case, no accents) */
    text: z.string().trim().min(1, 'field.rule_text_empty').max(100, 'field.rule_text_long').optional(),
    minAmount: amountSize.optional(),
    maxAmount: amountSize.optional(),
    direction: z.enum(['in', 'out']).optional(),
    accountId: id.optional(),
  }).strict(),
  'rules.remove': z.object({ id }).strict(),
  /** position 0: tried first */
  'rules.move': z.object({ id, position: z.number().int().min(0).max(100_000) }).strict(),
  /** to the transactions already stored (never to one categorized by hand); dryRun: only count them */
  'rules.apply': z.object({ dryRun: z.boolean().default(false) }).strict(),
  'accounts.spendingByCategory': z.object({ accountId: id, months: z.number().int().min(1).max(120).default(12) }).strict(),
  // ---- statement files (issue 21, main/import): preview = the same import rolled back
  /** the file's format, and a CSV's columns with the mapping remembered for them */
  'import.inspect': statementImport.pick({ fileName: true, content: true, encoding: true }),
  'import.preview': statementImport,
  'import.run': statementImport,
  'import.undo': z.object({ importId: id }).strict(),
  'import.list': z.object({ accountId: id.optional() }).strict(),
  // ---- transfers between own accounts and the balance check (issue 19; transfers.ts)
  ...transferRequests,
  // ---- net worth in one currency, the same account once (issue 19: preload/contract/networth.ts)
  ...networthRequests,
  /** delete a manual account (made from a statement file) with its transactions and imports */
  'import.removeManualAccount': z.object({ accountId: id }).strict(),
  // ---- the app lock (issue 22: preload/contract/lock.ts)
  ...lockRequests,
} as const;

export type Channel = keyof typeof requests;
export type RequestOf<C extends Channel> = z.input<(typeof requests)[C]>;
export type ParsedRequestOf<C extends Channel> = z.output<(typeof requests)[C]>;

// ---- DTOs (results). Amounts are integer minor units with their currency. ----
export type ConsentStateDto = z.infer<typeof consentState>;
export interface AppInfoDto {
  version: string; demo: boolean; secretStorage: { available: boolean; plainText: boolean; optedIn: boolean };
  /** where the database, preferences and logs live (shown in Settings) */
  dataDir?: string;
  /** the database's last integrity check (a damaged database is read-only until a backup is restored) */
  database?: DatabaseHealthDto;
  /** set when saved secrets exist but the key that unlocks them is missing: what happened, as a catalogue message */
  vaultLocked?: Message | null;
  /** things that went wrong at start-up and were handled (e.g. a damaged preferences file kept aside) */
  notices?: Message[];
}
/** The demo banks (a sandbox on this computer): off = never used here; stopped = stopped by the user (or their process
 *  ended); failed = they could not be started (notice says why in the reader's language, problem is its English) */
export interface DemoStatusDto {
  state: 'off' | 'starting' | 'running' | 'stopped' | 'failed';
  problem: string | null;
  notice: Message | null;
  /** the aggregators set up for the demo banks and their addresses */
  providers: Array<{ id: string; baseUrl: string }>;
}
export interface DatabaseHealthDto { ok: boolean; check: 'quick' | 'full'; problems: string[] }
export interface BackupDto { name: string; kind: 'daily' | 'pre-migration' | 'manual'; createdAt: string; bytes: number }
export interface ProviderDto { id: string; name: string; configured: boolean; baseUrl: string | null; clientId: string | null; options: Record<string, string>; optionNames: string[] }
export interface InstitutionDto { id: string; name: string; country?: string; methods?: string[] }
export interface FormFieldDto { name: string; label: string; type: 'text' | 'password' | 'list' | 'date' | 'number'; required: boolean; regex?: string | null; values?: Array<{ label: string; value: string }> }
export type LinkStepDto =
  /** paste: the bank returns to an HTTPS page of the user's own (Enable Banking); its address is sent back with link.submit {url} */
  | { linkId: string; kind: 'redirect'; url: string; paste?: boolean }
  | { linkId: string; kind: 'form'; fields: FormFieldDto[]; message?: string; skippable?: boolean }
  /** notice: the message in the reader's language when the words are Multibank's own (else message: the aggregator's) */
  | { linkId: string; kind: 'wait'; message: string; notice?: Message; pollAfterMs: number }
  | { linkId: string; kind: 'done'; connectionId: number; accounts: AccountDto[]; alreadyLinked: AlreadyLinkedDto[] }
  /** a renewal could not tell which local accounts some remote accounts continue: answer with link.match */
  | { linkId: string; kind: 'match'; connectionId: number; questions: MatchQuestionDto[] };
/** an account of a new link that another connection already holds (same IBAN or account number, same currency):
 *  renewing that connection instead keeps one copy of its history */
export interface AlreadyLinkedDto { accountId: number; connectionId: number; provider: string; institutionName: string }
/** a local account offered as the continuation of a renewed remote account */
export interface MatchCandidateDto {
  accountId: number; name: string; maskedIban: string | null; number: string | null; type: string; currency: string;
  /** newest transaction kept locally */
  lastTransactionDate: string | null;
  /** recent transactions (same amount, booking date within 2 days) found both at the bank and locally */
  overlaps: number;
}
/** one remote account of a renewed connection whose local account the user chooses (candidates: best evidence first) */
export interface MatchQuestionDto {
  remoteKey: string; name: string; maskedIban: string | null; number: string | null; type: string; currency: string;
  candidates: MatchCandidateDto[];
}
/** A connection removed from this computer whose access at the aggregator could not be withdrawn yet. */
export interface RevocationDto {
  connectionId: number; provider: string; institutionName: string; since: string;
  /** how to withdraw the access at the aggregator or the bank by hand */
  howTo: Message;
}

export interface ConnectionDto {
  id: number; provider: string; institutionName: string; state: ConsentStateDto; expiresAt: string | null;
  message: string | null; lastSuccessAt: string | null; lastAttemptAt: string | null;
  /** message as a catalogue message (the renderer shows this one; message is its English) */
  notice?: Message | null;
  lastErrorCode: string | null; lastErrorMessage: string | null; nextSyncAt: string | null; accountCount: number;
  /** lastErrorMessage as a catalogue message */
  lastError?: Message | null;
  /** countdown to expiresAt at the time of the answer: ms (negative once past) and whole days left; null without an expiry */
  msLeft?: number | null; daysLeft?: number | null;
  /** set when the user removed the connection and kept its data (read-only, never synced) */
  removedAt?: string | null;
  /** the account holder's name, where the aggregator tells it (Banqware's KYC resource) */
  holderName?: string | null;
}
export interface AccountDto {
  id: number; connectionId: number; provider: string; institutionName: string; name: string; iban: string | null; number: string | null;
  type: string; currency: string; balanceCurrent: number | null; balanceCurrentDate: string | null;
  balanceAvailable: number | null; balanceAvailableDate: string | null; selected: boolean; lastSuccessAt: string | null;
  /** the bank that holds this account: the connection's bank, or the one the aggregator names (an Everifin connection spans banks) */
  bankName: string;
  /** the same bank account is also reached through other connections (issue 19); absent when it is not */
  sameAccount?: SameAccountDto;
}
export interface TransactionDto {
  id: number; accountId: number; bookingDate: string; valueDate: string | null; amount: number; currency: string;
  status: 'pending' | 'booked'; description: string; counterpartyName: string | null; counterpartyIban: string | null;
  category: string | null; note: string | null; hidden: boolean;
  /** description with search matches wrapped in \u0001 ... \u0002 (the UI turns them into <mark>) */
  highlight?: string;
  /** in one account's list sorted by date: the booked balance after this row (pending rows have none) */
  runningBalance?: number;
  /** a leg of a transfer between own accounts: the other leg's transaction id (left out of income and spending) */
  transferId?: number;
}
export interface TransactionDetailDto extends TransactionDto {
  remoteId: string; raw: unknown; firstSeenAt: string; lastSeenAt: string; retiredAt: string | null;
  /** who set the category: by hand (a rule never changes it) or by a rule */
  categoryBy?: 'user' | 'rule' | null;
}
export interface TransactionPageDto { rows: TransactionDto[]; nextCursor: string | null }
export interface SyncRunDto {
  id: number; connectionId: number | null; institutionName: string | null; trigger: string; startedAt: string; finishedAt: string | null;
  requestedFrom: string | null; requestedTo: string | null; servedFrom: string | null; servedTo: string | null;
  newCount: number; updatedCount: number; retiredCount: number; unchangedCount: number;
  outcome: string; errorCode: string | null; errorMessage: string | null; durationMs: number | null;
  /** errorMessage as a catalogue message (the renderer shows this one; errorMessage is its English) */
  error?: Message | null;
  /** transactions this run could not read (kept aside; the rest was written), and the first reason */
  unreadableCount?: number; unreadableReason?: string | null;
  /** trigger 'import': the statement file, its skipped rows, and when it was undone */
  import?: { id: number; fileName: string; skipped: number; undoneAt?: string; removed?: number };
}
/** a transaction kept aside because the client could not read it; `raw` is redacted (names, IBANs, free text) */
export interface UnreadableRowDto { accountId: number; remoteId: string | null; reason: string; raw: unknown; firstSeenAt: string; lastSeenAt: string }
export interface SyncStatusDto { running: number[]; nextScheduledAt: string | null; deferred: Array<{ connectionId: number; until: string; reason: string }> }
export interface CategoryDto { id: number; name: string; /** transactions carrying it */ transactions: number; rules: number }
export interface RuleDto {
  id: number; position: number; categoryId: number; category: string; text: string | null;
  minAmount: string | null; maxAmount: string | null; direction: 'in' | 'out' | null; accountId: number | null;
}
export interface PrefsDto {
  theme: 'system' | 'light' | 'dark'; syncEveryHours: number; consentLeadDays: number; allowPlainTextSecrets: boolean;
  /** net worth and every account are also shown in this currency (default: the locale's region, else EUR) */
  baseCurrency: string;
  /** lock after this many minutes without input (0: never) */
  lockAfterMinutes: LockAfterMinutes;
  /** the words of the app (renderer, notifications); money and dates follow it unless a format locale is chosen */
  language: LanguageCode;
}

export interface Results extends NetworthResults, LockResults {
  'app.info': AppInfoDto;
  'providers.list': ProviderDto[];
  'providers.configure': ProviderDto;
  'demo.start': ProviderDto[];
  'demo.status': DemoStatusDto;
  'demo.stop': DemoStatusDto;
  'institutions.list': InstitutionDto[];
  'link.begin': LinkStepDto;
  'link.submit': LinkStepDto;
  'link.poll': LinkStepDto;
  'link.cancel': null;
  'link.chooseAccounts': AccountDto[];
  'link.match': LinkStepDto;
  'connections.list': ConnectionDto[];
  'connections.remove': null;
  'revocations.list': RevocationDto[];
  'revocations.retry': RevocationDto[];
  'revocations.forget': RevocationDto[];
  'accounts.list': AccountDto[];
  'accounts.balanceHistory': Array<{ date: string; balance: number }>;
  'accounts.monthly': Array<{ month: string; income: number; spending: number }>;
  'accounts.topCounterparties': Array<{ name: string; total: number; count: number }>;
  'overview.totals': Array<{ currency: string; total: number; accounts: number }>;
  'transactions.list': TransactionPageDto;
  'transactions.get': TransactionDetailDto;
  'transactions.update': TransactionDto;
  'sync.run': { started: number[] };
  'sync.cancel': null;
  'sync.status': SyncStatusDto;
  'sync.log': SyncRunDto[];
  'accounts.unreadable': UnreadableRowDto[];
  'sync.report': { filename: string; mime: string; content: string };
  'export.run': { filename: string; mime: string; content: string; rows: number };
  'prefs.get': PrefsDto;
  'prefs.set': PrefsDto;
  'db.check': DatabaseHealthDto;
  'backup.list': BackupDto[];
  'backup.create': BackupDto;
  /** keptAside: the folder the replaced database files were moved to */
  'backup.restore': { restored: BackupDto; keptAside: string };
  'vault.reset': null;
  'categories.list': CategoryDto[];
  'categories.add': CategoryDto;
  'categories.rename': CategoryDto;
  'categories.remove': { moved: number; rulesRemoved: number };
  'rules.list': RuleDto[];
  'rules.add': RuleDto;
  'rules.remove': null;
  'rules.move': RuleDto[];
  'rules.apply': { count: number };
  'accounts.spendingByCategory': Array<{ category: string | null; spending: number; count: number }>;
  'import.inspect': ImportInspectDto;
  'import.preview': ImportResultDto;
  'import.run': ImportResultDto;
  'import.undo': { removed: number; import: StatementImportDto };
  'import.list': StatementImportDto[];
  // ---- transfers between own accounts and the balance check (issue 19; transfers.ts)
  'transfers.list': TransferResults['transfers.list'];
  'transfers.get': TransferResults['transfers.get'];
  'transfers.unlink': TransferResults['transfers.unlink'];
  'transfers.confirm': TransferResults['transfers.confirm'];
  'accounts.historyGaps': TransferResults['accounts.historyGaps'];
  'import.removeManualAccount': { removed: number };
}

/** message/action: English, for logs and scripts; i18n: the same as catalogue messages, which the UI shows */
export type ErrorDto = {
  code: (typeof ERROR_CODE_LIST)[number]; message: string; action?: string | null;
  i18n?: { message: Message; action: Message | null };
};
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorDto };

// ---- events from main ----
export const events = {
  'sync.progress': null as unknown as {
    connectionId: number; phase: 'refresh' | 'accounts' | 'transactions' | 'done' | 'error';
    accountId?: number; pages: number; counts: { new: number; updated: number; retired: number; unchanged: number }; message: string;
    /** message as a catalogue message */
    msg?: Message;
  },
  'connections.changed': null as unknown as { connectionId: number | null },
  'consent.warning': null as unknown as { connectionId: number; state: ConsentStateDto; expiresAt: string | null },
  'link.changed': null as unknown as LinkStepDto,
  'demo.changed': null as unknown as DemoStatusDto,
  /** the app locked or unlocked (issue 22) */
  'lock.changed': null as unknown as { locked: boolean },
};
export type EventName = keyof typeof events;
export type EventOf<E extends EventName> = (typeof events)[E];
export const EVENT_NAMES = Object.keys(events) as EventName[];
export const CHANNELS = Object.keys(requests) as Channel[];

/** The API the preload exposes as window.multibank (and the dev-bridge shim implements). */
export interface MultibankApi {
  call<C extends Channel>(channel: C, request?: RequestOf<C>): Promise<Result<Results[C]>>;
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}
