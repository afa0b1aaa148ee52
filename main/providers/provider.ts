// The Provider interface every aggregator implements (see DOMAIN.md). Nothing here knows which aggregator it is.
import type { ConsentInfo, Institution, IsoDate, ProviderId, RemoteAccount, RemoteTransaction } from '../domain/types.js';
import type { ErrorCode } from '../../preload/contract/errors.js';
import { AppError, english, verbatim, type MainMessage } from '../domain/errors.js';
import type { UnreadableRow } from './rows.js';

export interface ProviderCapabilities {
  /** redirect kinds the aggregator accepts for its browser step */
  redirects: Array<'custom_scheme' | 'loopback' | 'https'>;
  /**
   * The aggregator sends the user back to exactly the registered redirect URL, without our `state`. A link waiting at
   * its browser step is then resumed by a redirect without a state, or by polling; the provider confirms it by asking
   * the aggregator, so the redirect itself proves nothing.
   */
  statelessRedirect?: boolean;
  institutionsListable: boolean;
  pendingTransactions: boolean;
  /**
   * pending rows come in a listing of their own without a date filter (finAPI): the sync asks for them once per account
   * and window, with the chunk that reaches today (`pendingsFrom` in fetchTransactions), not once per chunk
   */
  undatedPendings?: boolean;
  /** most history the aggregator serves on a first sync, in days back from today. A limit stated in years or months
   *  counts 366 days a year (31 a month): with 365, a span holding 29 February loses its oldest day, and asking for a
   *  day the aggregator no longer has costs nothing */
  maxHistoryDays: number;
  /** days re-fetched before the last committed date on later syncs */
  overlapDays: number;
  /** unattended (background) refreshes per connection per day */
  dailyUnattendedBudget: number;
  /**
   * the browser callback may come back with `state=null` instead of our state (Powens [SEED 004]): such a callback goes
   * to the one link waiting at this provider's browser step, if there is exactly one, and counts only if completeLink accepts it
   */
  callbackMayLoseState?: boolean;
}

/** How to reach an aggregator. Secrets are resolved from the vault by the caller. */
export interface ProviderConfig {
  provider: ProviderId;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** provider-specific options: Powens domain, Everifin realm/scope, Banqware tenant ... */
  options: Record<string, string>;
}

/** A field of a credentials / additional-information form (Powens /fields and similar). */
export interface FormField {
  name: string;
  label: string;
  type: 'text' | 'password' | 'list' | 'date' | 'number';
  required: boolean;
  regex?: string | null;
  values?: Array<{ label: string; value: string }>;
}

/**
 * The title of a connection that is not one bank's (Everifin: every bank its user connected inside Everifin): the banks
 * its accounts name, in the order first met ("Tatra banka, VÚB banka"); null when no account names one.
 */
export function banksTitle(accounts: Array<Pick<RemoteAccount, 'institutionName'>>): string | null {
  const banks = [...new Set(accounts.map((a) => a.institutionName?.trim()).filter((n): n is string => !!n))];
  return banks.length ? banks.join(', ') : null;
}

/** Provider-private state between steps of a link; kept in main only, never sent over IPC. */
export type PendingLink = Record<string, unknown>;

/** a wait step's words that are Multibank's own: the catalogue message and its English */
export const waitSays = (notice: MainMessage): { message: string; notice: MainMessage } => ({ message: english(notice), notice });

export type LinkStep =
  | { kind: 'redirect'; url: string; pending: PendingLink }
  /** skippable: an extra the user may leave out (submitting no values skips it); the link goes on without it */
  | { kind: 'form'; fields: FormField[]; message?: string; skippable?: boolean; pending: PendingLink }
  /** notice: the message in the catalogue when the words are Multibank's own (message is then its English) */
  | { kind: 'wait'; message: string; notice?: MainMessage; pending: PendingLink; pollAfterMs: number }
  | { kind: 'done'; connection: LinkedConnection };

export type LinkInput =
  | { kind: 'callback'; url: string }
  | { kind: 'form'; values: Record<string, string> }
  | { kind: 'poll' };

export interface LinkedConnection {
  /** the aggregator's ids for this link (user id, connection id, consent id ...) */
  remote: Record<string, string>;
  /** tokens etc., stored only in the vault */
  secrets: Record<string, string>;
  institutionId?: string | null;
  institutionName: string;
  consent: ConsentInfo;
}

/** What a provider gets to act on one stored connection. */
export interface ConnectionContext {
  connectionId: number;
  remote: Record<string, string>;
  secrets: Record<string, string>;
  /** persist rotated tokens (refresh-token rotation, renewed tokens) */
  saveSecrets(secrets: Record<string, string>): void;
}

export interface RefreshOptions {
  userPresent: boolean;
  signal?: AbortSignal;
  onProgress?(message: string): void;
}

export interface TransactionPage {
  transactions: RemoteTransaction[];
  /** rows of this page the client could not parse or map (readRows in ./rows.ts): kept aside, the rest is written */
  unreadable?: UnreadableRow[];
  /** opaque; null when the window is exhausted */
  nextCursor: string | null;
}

export interface Provider {
  readonly id: ProviderId;
  readonly capabilities: ProviderCapabilities;
  /** a cheap authenticated call that proves the configuration works */
  checkConfig(): Promise<void>;
  listInstitutions(query: string): Promise<Institution[]>;
  beginLink(opts: { institutionId?: string; redirectUri: string; state: string }): Promise<LinkStep>;
  completeLink(pending: PendingLink, input: LinkInput): Promise<LinkStep>;
  /** ask the aggregator to fetch fresh data from the bank and wait for it; returns the consent afterwards */
  refreshConnection(ctx: ConnectionContext, opts: RefreshOptions): Promise<ConsentInfo>;
  listAccounts(ctx: ConnectionContext): Promise<RemoteAccount[]>;
  /** activate / deactivate accounts where the aggregator needs it (Powens); others ignore it */
  selectAccounts?(ctx: ConnectionContext, remoteIds: string[]): Promise<void>;
  /** `pendingsFrom` (providers with `undatedPendings`): null, no pending rows with this window; a date, the pending rows
   *  dated from it on; absent, those dated inside the window (or after it, when it reaches today) */
  fetchTransactions(
    ctx: ConnectionContext,
    accountRemoteId: string,
    window: { from: IsoDate; to: IsoDate; cursor: string | null; signal?: AbortSignal; pendingsFrom?: IsoDate | null },
  ): Promise<TransactionPage>;
  consent(ctx: ConnectionContext): Promise<ConsentInfo>;
  /** start re-consent for an existing connection; finishes through completeLink with the same remote user */
  beginRenewal(ctx: ConnectionContext, opts: { redirectUri: string; state: string }): Promise<LinkStep>;
  remove(ctx: ConnectionContext): Promise<void>;
}

/** The one error type providers throw: a stable code plus the aggregator's own words (a string, shown as written)
 *  or a catalogue message for the sync log. */
export class ProviderError extends AppError {
  constructor(
    code: ErrorCode,
    message: string | MainMessage,
    readonly info: { providerCode?: string | null; status?: number; retryAfterMs?: number | null } = {},
  ) {
    super(code, typeof message === 'string' ? verbatim(message) : message, info);
    this.name = 'ProviderError';
  }
}

export type ProviderFactory = (config: ProviderConfig, deps: { fetch?: typeof fetch; now?: () => Date }) => Provider;
