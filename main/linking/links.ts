// Linking sessions: link.begin / submit / poll / cancel drive Provider.beginLink|beginRenewal and completeLink; a browser
// step comes back through handleRedirect, matched by its single-use `state`. On 'done' the connection is created (or, for
// a renewal, the existing one gets the new remote ids and secrets), accounts are discovered and upserted (renewal
// re-attaches them to the same local accounts, see ./match.ts), and the caller is told so it can sync.
// When a renewal cannot tell which local account a remote account continues, the session stops at a 'match' step
// (the connection waits as needs_user, so no sync splits the history meanwhile) until link.match answers.
// Provider-private `pending` state never leaves main; the UI only sees LinkStepDto.
import type { AccountDto, AlreadyLinkedDto, FormFieldDto, LinkStepDto, MatchQuestionDto } from '../../preload/contract/channels.js';
import { AppError, type MainMessage } from '../domain/errors.js';
import type { ConsentInfo, IsoDate, ProviderId, RemoteAccount } from '../domain/types.js';
import { waitSays, type ConnectionContext, type LinkedConnection, type LinkStep, type PendingLink, type Provider } from '../providers/provider.js';
import type { AccountRow, Repositories } from '../store/repositories.js';
import {
  countOverlaps, evidenceWindow, findCandidates, needsEvidence, planMatches, sameBankAccounts, type Fingerprint, type MatchPlan,
} from './match.js';
import type { ProviderHub } from '../providers/hub.js';
import { createStateStore, DEFAULT_STATE_TTL_MS, randomToken, type StateStore } from '../auth/state.js';
import { maskIban } from '../../preload/contract/iban.js';

export const CUSTOM_SCHEME_REDIRECT = 'multibank://oauth/callback';
/** a link session (form, wait, redirect) lives this long without activity */
export const LINK_SESSION_TTL_MS = 30 * 60 * 1000;

interface Session {
  id: string;
  provider: ProviderId;
  renewConnectionId: number | null;
  pending: PendingLink | null;
  state: string;
  step: LinkStepDto;
  error: AppError | null;
  touchedAt: number;
  /** operations on one session run one after another */
  queue: Promise<unknown>;
  /** a renewal waiting for the user's account matching */
  match?: PendingMatch | null;
}

interface PendingMatch {
  connectionId: number;
  remote: RemoteAccount[];
  plan: MatchPlan;
  /** the consent to put back once answered (the connection waits as needs_user meanwhile) */
  consent: ConsentInfo;
}

/** the connection's message while a renewal waits for the user's account matching */
export const MATCH_PENDING_MESSAGE: MainMessage = { id: 'consent.match_pending' };
/** most pages of recent transactions read per remote account to confirm a match */
const MATCH_MAX_PAGES = 10;

/** A browser step kept outside memory (the encrypted vault), so its redirect still completes after a restart or in a later CLI run. */
export interface ParkedLink {
  linkId: string;
  provider: ProviderId;
  renewConnectionId: number | null;
  pending: PendingLink;
  url: string;
  /** epoch ms; the same lifetime as the state */
  expiresAt: number;
  /** kept so that a stateless aggregator's bare redirect (see ProviderCapabilities.statelessRedirect) finds its link */
  state?: string;
}

export interface LinkParking {
  park(state: string, link: ParkedLink): void;
  /** the parked link for this state, removed (single use); undefined when none */
  unpark(state: string): ParkedLink | undefined;
  forget(state: string): void;
  /** every parked link that has not expired */
  list(): ParkedLink[];
}

export interface LinkManagerDeps {
  repos: Repositories;
  hub: ProviderHub;
  now: () => Date;
  /** the redirect URI for this provider's browser step (custom scheme, or the loopback listener) */
  redirectUri(provider: Provider): Promise<string>;
  /** true for URLs our redirect entry points can receive (multibank://oauth/callback, the loopback listener) */
  isRedirectUrl(url: URL): boolean;
  toAccountDto(a: AccountRow): AccountDto;
  /** a local account's transactions booked within the window (matching evidence) */
  localFingerprints(accountId: number, window: { from: IsoDate; to: IsoDate }): Fingerprint[];
  /** a local account's newest booking date */
  lastTransactionDate(accountId: number): IsoDate | null;
  onStepChanged(step: LinkStepDto): void;
  /** a link or renewal finished: the connection exists with its accounts */
  onLinked(connectionId: number, renewed: boolean): void;
  stateTtlMs?: number;
  /** where browser steps are parked (default: memory only) */
  parking?: LinkParking;
}

export interface LinkManager {
  begin(req: { provider: ProviderId; institutionId?: string; renewConnectionId?: number }): Promise<LinkStepDto>;
  submit(linkId: string, values: Record<string, string>): Promise<LinkStepDto>;
  poll(linkId: string): Promise<LinkStepDto>;
  /** answer a renewal's 'match' step: every question once, with one of its candidates or null (a new account) */
  match(linkId: string, choices: Array<{ remoteKey: string; accountId: number | null }>): Promise<LinkStepDto>;
  cancel(linkId: string): void;
  /** true while a link is waiting for its browser redirect (its state unused and unexpired) */
  awaitingRedirect(): boolean;
  /** never throws; false (and nothing changed) unless the URL carries a matching, unexpired, unused state */
  handleRedirect(url: string): Promise<boolean>;
}

export function createLinkManager(deps: LinkManagerDeps): LinkManager {
  const sessions = new Map<string, Session>();
  const stateTtlMs = deps.stateTtlMs ?? DEFAULT_STATE_TTL_MS;
  const states: StateStore<string> = createStateStore<string>({ ttlMs: stateTtlMs, now: deps.now });
  const nowMs = () => deps.now().getTime();
  /** the aggregator returns to the bare registered URL, without our state */
  const stateless = (provider: ProviderId) => {
    try { return !!deps.hub.get(provider).capabilities.statelessRedirect; } catch { return false; }
  };
  /** an https-only aggregator returns to the user's own HTTPS page: the user pastes the address (link.submit {url}) */
  const pastesBack = (provider: ProviderId) => {
    try { return deps.hub.get(provider).capabilities.redirects.every((k) => k === 'https'); } catch { return false; }
  };
  /** parking is best effort: a link that cannot be parked still works while the process lives */
  const parking = {
    park(s: Session) {
      if (!deps.parking || !s.pending || s.step.kind !== 'redirect') return;
      try {
        deps.parking.park(s.state, { linkId: s.id, provider: s.provider, renewConnectionId: s.renewConnectionId, pending: s.pending, url: s.step.url, expiresAt: nowMs() + stateTtlMs, state: s.state });
      } catch { /* e.g. secret storage not allowed: memory only */ }
    },
    forget(state: string) {
      try { deps.parking?.forget(state); } catch { /* nothing to forget */ }
    },
    /** bring a parked link back into memory, armed for its one redirect */
    restore(state: string): boolean {
      let p: ParkedLink | undefined;
      try { p = deps.parking?.unpark(state); } catch { p = undefined; }
      if (!p || p.expiresAt <= nowMs() || sessions.has(p.linkId)) return false;
      sessions.set(p.linkId, {
        id: p.linkId, provider: p.provider, renewConnectionId: p.renewConnectionId, pending: p.pending, state,
        step: { linkId: p.linkId, kind: 'redirect', url: p.url, ...(pastesBack(p.provider) ? { paste: true } : {}) }, error: null, touchedAt: nowMs(), queue: Promise.resolve(),
      });
      states.arm(state, p.linkId);
      return true;
    },
    /** bring back every parked link of an aggregator whose redirect carries no state */
    restoreStateless() {
      let parked: ParkedLink[] = [];
      try { parked = deps.parking?.list() ?? []; } catch { /* nothing readable parked */ }
      for (const p of parked) if (p.state && stateless(p.provider)) this.restore(p.state);
    },
  };

  const purge = () => {
    for (const [id, s] of sessions) if (nowMs() - s.touchedAt > LINK_SESSION_TTL_MS) drop(id);
  };
  const drop = (id: string) => {
    const s = sessions.get(id);
    if (s) parking.forget(s.state);
    sessions.delete(id);
    states.revoke((linkId) => linkId === id);
  };
  const session = (linkId: string): Session => {
    purge();
    const s = sessions.get(linkId);
    if (!s) throw new AppError('link_expired');
    s.touchedAt = nowMs();
    return s;
  };
  /** run fn after whatever is already running on this session */
  const serial = <T>(s: Session, fn: () => Promise<T>): Promise<T> => {
    const next = s.queue.then(fn, fn);
    s.queue = next.catch(() => undefined);
    return next;
  };

  const fields = (f: FormFieldDto[]): FormFieldDto[] => f.map((x) => ({
    name: x.name, label: x.label, type: x.type, required: x.required, regex: x.regex ?? null,
    ...(x.values ? { values: x.values.map((v) => ({ label: v.label, value: v.value })) } : {}),
  }));

  /**
   * A callback with `state=null` (Powens writes it when it has no state of ours [SEED 004]) goes to the one link waiting
   * at the browser step of a provider that declares `callbackMayLoseState`, if there is exactly one. Unlike a callback
   * carrying our state, it changes nothing unless the provider accepts it, so a forged one cannot spoil the waiting link.
   */
  async function acceptWithoutState(url: URL): Promise<boolean> {
    purge();
    const waiting = [...sessions.values()].filter((x) => x.step.kind === 'redirect' && x.pending && deps.hub.get(x.provider).capabilities.callbackMayLoseState);
    if (waiting.length !== 1) return false;
    const s = waiting[0];
    return serial(s, async () => {
      if (s.step.kind !== 'redirect' || !s.pending) return false;
      let step: LinkStep;
      try {
        step = await deps.hub.get(s.provider).completeLink(s.pending, { kind: 'callback', url: url.toString() });
      } catch {
        return false;
      }
      states.consume(s.state);
      parking.forget(s.state);
      s.touchedAt = nowMs();
      try {
        await apply(s, step);
      } catch (e) {
        s.error = e instanceof AppError ? e : new AppError('internal');
        s.pending = null;
      }
      deps.onStepChanged(s.step);
      return true;
    });
  }

  async function apply(s: Session, step: LinkStep): Promise<LinkStepDto> {
    switch (step.kind) {
      case 'redirect':
        s.pending = step.pending;
        // a later browser step relays the same state: arm it for one more use
        states.arm(s.state, s.id);
        s.step = { linkId: s.id, kind: 'redirect', url: step.url, ...(pastesBack(s.provider) ? { paste: true } : {}) };
        parking.park(s);
        break;
      case 'form':
        s.pending = step.pending;
        s.step = { linkId: s.id, kind: 'form', fields: fields(step.fields), ...(step.message ? { message: step.message } : {}), ...(step.skippable ? { skippable: true } : {}) };
        break;
      case 'wait':
        s.pending = step.pending;
        s.step = { linkId: s.id, kind: 'wait', message: step.message, ...(step.notice ? { notice: step.notice } : {}), pollAfterMs: step.pollAfterMs };
        break;
      case 'done': {
        const finished = await finish(s, step.connection);
        s.pending = null;
        s.step = 'questions' in finished
          ? { linkId: s.id, kind: 'match', connectionId: finished.connectionId, questions: finished.questions }
          : {
            linkId: s.id, kind: 'done', connectionId: finished.connectionId, accounts: finished.accounts.map(deps.toAccountDto),
            alreadyLinked: s.renewConnectionId === null ? alreadyLinked(finished.connectionId, finished.accounts) : [],
          };
        states.revoke((linkId) => linkId === s.id);
        break;
      }
    }
    return s.step;
  }

  /** the accounts of a new link that other connections already hold: the user may renew that connection instead */
  const alreadyLinked = (connectionId: number, accounts: AccountRow[]): AlreadyLinkedDto[] => {
    const others = deps.repos.connections.list().filter((c) => c.id !== connectionId)
      .flatMap((connection) => deps.repos.accounts.listByConnection(connection.id).map((a) => ({ ...a, connection })));
    return sameBankAccounts(accounts, others).map(({ account, existing: { connection } }) => ({
      accountId: account.id, connectionId: connection.id, provider: connection.provider, institutionName: connection.institutionName,
    }));
  };

  /** a remote account's transactions in the window (errors count as no evidence: the user is asked instead) */
  async function remoteFingerprints(provider: Provider, ctx: ConnectionContext, remoteId: string, window: { from: IsoDate; to: IsoDate }): Promise<Fingerprint[]> {
    const out: Fingerprint[] = [];
    try {
      let cursor: string | null = null;
      for (let page = 0; page < MATCH_MAX_PAGES; page++) {
        const p = await provider.fetchTransactions(ctx, remoteId, { ...window, cursor });
        out.push(...p.transactions.map((t) => ({ bookingDate: t.bookingDate, amount: t.amount })));
        cursor = p.nextCursor;
        if (!cursor) break;
      }
    } catch { /* no evidence */ }
    return out;
  }

  /** which local account each remote account continues; transactions are fetched only where they must decide */
  async function planRenewal(provider: Provider, ctx: ConnectionContext, connectionId: number, remote: RemoteAccount[]): Promise<MatchPlan> {
    const cands = findCandidates(remote, deps.repos.accounts.listByConnection(connectionId));
    const overlaps = new Map<string, number>();
    for (const c of cands.filter(needsEvidence)) {
      const window = evidenceWindow(new Date(nowMs()).toISOString().slice(0, 10), c.accountIds.map(deps.lastTransactionDate));
      const recent = await remoteFingerprints(provider, ctx, c.remoteId, window.remote);
      for (const id of c.accountIds) overlaps.set(`${c.remoteId}\n${id}`, countOverlaps(recent, deps.localFingerprints(id, window.local)));
    }
    return planMatches(cands, (remoteId, accountId) => overlaps.get(`${remoteId}\n${accountId}`) ?? 0);
  }

  /** one transaction: decided local accounts take their new remote ids, then everything reported is upserted */
  const attach = (connectionId: number, remote: RemoteAccount[], matched: MatchPlan['matched']): AccountRow[] =>
    deps.repos.db.transaction(() => {
      for (const [remoteId, m] of matched) if (m.via !== 'remote_id') deps.repos.accounts.reattach(m.accountId, remoteId);
      return deps.repos.accounts.upsertRemote(connectionId, remote);
    })();

  const questionsOf = (m: PendingMatch): MatchQuestionDto[] => m.plan.questions.map((q) => {
    const r = m.remote.find((x) => x.remoteId === q.remoteId)!;
    return {
      remoteKey: r.remoteId, name: r.name, maskedIban: maskIban(r.iban), number: r.number ?? null, type: r.type, currency: r.currency,
      candidates: q.candidates.map(({ accountId, overlaps }) => {
        const a = deps.repos.accounts.get(accountId)!;
        return {
          accountId, name: a.name, maskedIban: maskIban(a.iban), number: a.number, type: a.type, currency: a.currency,
          lastTransactionDate: deps.lastTransactionDate(accountId), overlaps,
        };
      }),
    };
  });

  async function finish(s: Session, linked: LinkedConnection): Promise<{ connectionId: number; accounts: AccountRow[] } | { connectionId: number; questions: MatchQuestionDto[] }> {
    const { repos, hub } = deps;
    const provider = hub.get(s.provider);
    let connectionId: number;
    if (s.renewConnectionId !== null) {
      const conn = repos.connections.get(s.renewConnectionId);
      if (!conn || conn.removedAt) throw new AppError('not_found', { id: 'error.renewal_connection_gone' });
      connectionId = conn.id;
      hub.saveConnectionSecrets(connectionId, linked.secrets);
      repos.connections.updateRemote(connectionId, { ...conn.remote, ...linked.remote }, { id: linked.institutionId ?? null, name: linked.institutionName });
      repos.connections.setConsent(connectionId, linked.consent);
      repos.connections.clearError(connectionId);
      repos.connections.setNextAttempt(connectionId, null);
    } else {
      const conn = repos.connections.create({
        provider: s.provider, institutionId: linked.institutionId ?? null, institutionName: linked.institutionName,
        remote: linked.remote, consent: linked.consent,
      });
      connectionId = conn.id;
      try {
        hub.saveConnectionSecrets(connectionId, linked.secrets);
      } catch (e) {
        repos.connections.delete(connectionId); // no connection without its tokens
        throw e;
      }
    }
    const conn = repos.connections.get(connectionId)!;
    let accounts: AccountRow[];
    try {
      const ctx = hub.context(conn);
      let remote = await provider.listAccounts(ctx);
      if (remote.length === 0) {
        // some aggregators (Banqware) hold no account data until a first refresh from the bank: ask once, the user is here
        repos.connections.setConsent(connectionId, await provider.refreshConnection(ctx, { userPresent: true }));
        remote = await provider.listAccounts(ctx);
      }
      if (s.renewConnectionId !== null) {
        const plan = await planRenewal(provider, ctx, connectionId, remote);
        if (plan.questions.length) {
          const c = repos.connections.get(connectionId)!;
          s.match = {
            connectionId, remote, plan,
            consent: { state: c.state, expiresAt: c.consentExpiresAt, message: c.stateMsg as MainMessage | null, providerCode: c.providerCode },
          };
          repos.connections.setState(connectionId, 'needs_user', MATCH_PENDING_MESSAGE);
          return { connectionId, questions: questionsOf(s.match) };
        }
        accounts = attach(connectionId, remote, plan.matched);
      } else {
        accounts = repos.accounts.upsertRemote(connectionId, remote);
      }
    } catch (e) {
      // linked, but the account list failed: keep the connection, say why; the next sync discovers the accounts
      const err = e instanceof AppError ? e : new AppError('internal');
      repos.connections.recordError(connectionId, { code: err.code, message: err.msg, providerCode: (err.detail as { providerCode?: string }).providerCode ?? null });
      accounts = repos.accounts.listByConnection(connectionId);
    }
    deps.onLinked(connectionId, s.renewConnectionId !== null);
    return { connectionId, accounts };
  }

  /** a browser step came back: the provider finishes (or continues) the link from the redirect URL */
  const resume = (s: Session, url: URL) => {
    s.touchedAt = nowMs();
    return serial(s, async () => {
      if (s.step.kind !== 'redirect' || !s.pending) return;
      try {
        await apply(s, await deps.hub.get(s.provider).completeLink(s.pending, { kind: 'callback', url: url.toString() }));
      } catch (e) {
        // keep the session so link.poll can report the error once
        s.error = e instanceof AppError ? e : new AppError('internal');
        s.pending = null;
      }
      deps.onStepChanged(s.step);
    });
  };

  /** a provider step failed: the session ends with that error (the UI reads it from link.poll / the failing call) */
  const fail = (s: Session, e: unknown): never => {
    drop(s.id);
    throw e instanceof AppError ? e : new AppError('internal');
  };

  return {
    async begin({ provider: providerId, institutionId, renewConnectionId }) {
      purge();
      const provider = deps.hub.get(providerId);
      let renewId: number | null = null;
      if (renewConnectionId !== undefined) {
        const conn = deps.repos.connections.get(renewConnectionId);
        if (!conn || conn.removedAt) throw new AppError('not_found', { id: 'error.connection_gone' });
        if (conn.provider !== providerId) throw new AppError('validation', { id: 'error.connection_other_provider', values: { connectionId: conn.id, provider: conn.provider, wanted: providerId } });
        renewId = conn.id;
      }
      const redirectUri = await deps.redirectUri(provider);
      const id = randomToken(18);
      const s: Session = {
        id, provider: providerId, renewConnectionId: renewId, pending: null, state: '', step: { linkId: id, kind: 'wait', ...waitSays({ id: 'link.starting' }), pollAfterMs: 1000 },
        error: null, touchedAt: nowMs(), queue: Promise.resolve(),
      };
      s.state = states.issue(id);
      sessions.set(id, s);
      try {
        const step = renewId !== null
          ? await provider.beginRenewal(deps.hub.context(deps.repos.connections.get(renewId)!), { redirectUri, state: s.state })
          : await provider.beginLink({ institutionId, redirectUri, state: s.state });
        return await apply(s, step);
      } catch (e) {
        return fail(s, e);
      }
    },

    submit(linkId, values) {
      const s = session(linkId);
      return serial(s, async () => {
        if (s.step.kind === 'redirect' && s.step.paste && s.pending && typeof values.url === 'string') {
          // the pasted address must carry this link's own state; the provider checks the rest (address, code)
          let state: string | null = null;
          try { state = new URL(values.url.trim()).searchParams.get('state'); } catch { /* said below */ }
          if (state !== s.state) throw new AppError('validation', { id: 'error.link_wrong_address' });
          if (states.peek(s.state) !== s.id) return fail(s, new AppError('link_expired', { id: 'error.link_took_too_long' }));
          try {
            const step = await deps.hub.get(s.provider).completeLink(s.pending, { kind: 'callback', url: values.url.trim() });
            states.consume(s.state);
            parking.forget(s.state);
            return await apply(s, step);
          } catch (e) {
            if (e instanceof AppError && e.code === 'validation') throw e;
            return fail(s, e);
          }
        }
        if (s.step.kind !== 'form' || !s.pending) throw new AppError('validation', { id: 'error.link_not_form' });
        try {
          return await apply(s, await deps.hub.get(s.provider).completeLink(s.pending, { kind: 'form', values }));
        } catch (e) {
          // a refused login (wrong password) ends only this attempt: the same form can be sent again; anything else ends the link
          if (e instanceof AppError && (e.code === 'wrong_credentials' || e.code === 'validation')) throw e;
          return fail(s, e);
        }
      });
    },

    poll(linkId) {
      const s = session(linkId);
      return serial(s, async () => {
        if (s.error) { const e = s.error; drop(s.id); throw e; }
        const askable = s.step.kind === 'wait' || (s.step.kind === 'redirect' && stateless(s.provider));
        if (!askable || !s.pending) return s.step;
        try {
          const step = await deps.hub.get(s.provider).completeLink(s.pending, { kind: 'poll' });
          // still at the browser step: nothing to re-arm or park again
          if (step.kind === 'redirect' && s.step.kind === 'redirect' && step.url === s.step.url) { s.pending = step.pending; return s.step; }
          return await apply(s, step);
        } catch (e) {
          return fail(s, e);
        }
      });
    },

    match(linkId, choices) {
      const s = session(linkId);
      return serial(s, async () => {
        const m = s.match;
        if (s.step.kind !== 'match' || !m) throw new AppError('validation', { id: 'error.link_not_match' });
        const matched = new Map(m.plan.matched);
        const answered = new Map(choices.map((c) => [c.remoteKey, c.accountId]));
        if (answered.size !== choices.length) throw new AppError('validation', { id: 'error.match_answered_twice' });
        const chosen = new Set<number>();
        for (const q of m.plan.questions) {
          if (!answered.has(q.remoteId)) throw new AppError('validation', { id: 'error.match_answer_missing' });
          const accountId = answered.get(q.remoteId)!;
          answered.delete(q.remoteId);
          if (accountId === null) continue;
          if (!q.candidates.some((c) => c.accountId === accountId)) throw new AppError('validation', { id: 'error.match_not_offered', values: { accountId } });
          if (chosen.has(accountId)) throw new AppError('validation', { id: 'error.match_same_local' });
          chosen.add(accountId);
          matched.set(q.remoteId, { accountId, via: 'user' });
        }
        if (answered.size) throw new AppError('validation', { id: 'error.match_unknown_account' });
        const conn = deps.repos.connections.get(m.connectionId);
        if (!conn || conn.removedAt) { drop(s.id); throw new AppError('not_found', { id: 'error.renewal_connection_gone' }); }
        const accounts = deps.repos.db.transaction(() => {
          deps.repos.connections.setConsent(m.connectionId, m.consent);
          return attach(m.connectionId, m.remote, matched);
        })();
        s.match = null;
        s.step = { linkId: s.id, kind: 'done', connectionId: m.connectionId, accounts: accounts.map(deps.toAccountDto), alreadyLinked: [] };
        deps.onLinked(m.connectionId, true);
        return s.step;
      });
    },

    cancel(linkId) {
      drop(linkId);
    },

    awaitingRedirect() {
      purge();
      return [...sessions.values()].some((s) => s.step.kind === 'redirect' && states.peek(s.state) !== undefined);
    },

    async handleRedirect(raw) {
      try {
        const url = new URL(raw);
        if (!deps.isRedirectUrl(url)) return false;
        const state = url.searchParams.get('state');
        // an https address is a paste, good only for a link that asks for one (an https-only aggregator), by its state
        const pasted = url.protocol === 'https:';
        if (pasted && (!state || state === 'null')) return false;
        if (state === 'null') return await acceptWithoutState(url);
        if (!state) {
          // an aggregator that returns to the bare registered URL: every link waiting for it asks its aggregator
          parking.restoreStateless();
          const waiting = [...sessions.values()].filter((s) => s.step.kind === 'redirect' && s.pending && stateless(s.provider));
          await Promise.all(waiting.map((s) => resume(s, url)));
          return waiting.length > 0;
        }
        if (states.peek(state) === undefined) parking.restore(state);
        const linkId = states.peek(state);
        const s = linkId ? sessions.get(linkId) : undefined;
        if (!s || s.step.kind !== 'redirect' || !s.pending) return false;
        if (pasted && !s.step.paste) return false;
        if (states.consume(state) !== s.id) return false;
        parking.forget(state);
        await resume(s, url);
        return true;
      } catch {
        return false;
      }
    },
  };
}
