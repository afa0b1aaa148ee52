// Linking sessions: link.begin / submit / poll / cancel drive Provider.beginLink|beginRenewal and completeLink; a browser
// step comes back through handleRedirect, matched by its single-use `state`. On 'done' the connection is created (or, for
// a renewal, the existing one gets the new remote ids and secrets), accounts are discovered and upserted (renewal
// re-attaches them to the same local accounts), and the caller is told so it can sync.
// Provider-private `pending` state never leaves main; the UI only sees LinkStepDto.
import type { AccountDto, FormFieldDto, LinkStepDto } from '../../preload/contract/channels.js';
import { AppError } from '../domain/errors.js';
import type { ProviderId } from '../domain/types.js';
import type { LinkedConnection, LinkStep, PendingLink, Provider } from '../providers/provider.js';
import type { AccountRow, Repositories } from '../store/repositories.js';
import type { ProviderHub } from '../service/providers.js';
import { createStateStore, DEFAULT_STATE_TTL_MS, randomToken, type StateStore } from './state.js';

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
}

/** A browser step kept outside memory (the encrypted vault), so its redirect still completes after a restart or in a later CLI run. */
export interface ParkedLink {
  linkId: string;
  provider: ProviderId;
  renewConnectionId: number | null;
  pending: PendingLink;
  url: string;
  /** epoch ms; the same lifetime as the state */
  expiresAt: number;
}

export interface LinkParking {
  park(state: string, link: ParkedLink): void;
  /** the parked link for this state, removed (single use); undefined when none */
  unpark(state: string): ParkedLink | undefined;
  forget(state: string): void;
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
  cancel(linkId: string): void;
  /** never throws; false (and nothing changed) unless the URL carries a matching, unexpired, unused state */
  handleRedirect(url: string): Promise<boolean>;
}

export function createLinkManager(deps: LinkManagerDeps): LinkManager {
  const sessions = new Map<string, Session>();
  const stateTtlMs = deps.stateTtlMs ?? DEFAULT_STATE_TTL_MS;
  const states: StateStore<string> = createStateStore<string>({ ttlMs: stateTtlMs, now: deps.now });
  const nowMs = () => deps.now().getTime();
  /** parking is best effort: a link that cannot be parked still works while the process lives */
  const parking = {
    park(s: Session) {
      if (!deps.parking || !s.pending || s.step.kind !== 'redirect') return;
      try {
        deps.parking.park(s.state, { linkId: s.id, provider: s.provider, renewConnectionId: s.renewConnectionId, pending: s.pending, url: s.step.url, expiresAt: nowMs() + stateTtlMs });
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
        step: { linkId: p.linkId, kind: 'redirect', url: p.url }, error: null, touchedAt: nowMs(), queue: Promise.resolve(),
      });
      states.arm(state, p.linkId);
      return true;
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

  async function apply(s: Session, step: LinkStep): Promise<LinkStepDto> {
    switch (step.kind) {
      case 'redirect':
        s.pending = step.pending;
        // a later browser step relays the same state: arm it for one more use
        states.arm(s.state, s.id);
        s.step = { linkId: s.id, kind: 'redirect', url: step.url };
        parking.park(s);
        break;
      case 'form':
        s.pending = step.pending;
        s.step = { linkId: s.id, kind: 'form', fields: fields(step.fields), ...(step.message ? { message: step.message } : {}) };
        break;
      case 'wait':
        s.pending = step.pending;
        s.step = { linkId: s.id, kind: 'wait', message: step.message, pollAfterMs: step.pollAfterMs };
        break;
      case 'done': {
        const { connectionId, accounts } = await finish(s, step.connection);
        s.pending = null;
        s.step = { linkId: s.id, kind: 'done', connectionId, accounts: accounts.map(deps.toAccountDto) };
        states.revoke((linkId) => linkId === s.id);
        break;
      }
    }
    return s.step;
  }

  async function finish(s: Session, linked: LinkedConnection): Promise<{ connectionId: number; accounts: AccountRow[] }> {
    const { repos, hub } = deps;
    const provider = hub.get(s.provider);
    let connectionId: number;
    if (s.renewConnectionId !== null) {
      const conn = repos.connections.get(s.renewConnectionId);
      if (!conn || conn.removedAt) throw new AppError('not_found', 'The connection being renewed no longer exists.');
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
      accounts = repos.accounts.upsertRemote(connectionId, remote);
    } catch (e) {
      // linked, but the account list failed: keep the connection, say why; the next sync discovers the accounts
      const err = e instanceof AppError ? e : new AppError('internal');
      repos.connections.recordError(connectionId, { code: err.code, message: err.message, providerCode: (err.detail as { providerCode?: string }).providerCode ?? null });
      accounts = repos.accounts.listByConnection(connectionId);
    }
    deps.onLinked(connectionId, s.renewConnectionId !== null);
    return { connectionId, accounts };
  }

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
        if (!conn || conn.removedAt) throw new AppError('not_found', 'That connection no longer exists.');
        if (conn.provider !== providerId) throw new AppError('validation', `Connection ${conn.id} belongs to ${conn.provider}, not ${providerId}.`);
        renewId = conn.id;
      }
      const redirectUri = await deps.redirectUri(provider);
      const id = randomToken(18);
      const s: Session = {
        id, provider: providerId, renewConnectionId: renewId, pending: null, state: '', step: { linkId: id, kind: 'wait', message: 'Starting…', pollAfterMs: 1000 },
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
        if (s.step.kind !== 'form' || !s.pending) throw new AppError('validation', 'This link is not waiting for a form.');
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
        if (s.step.kind !== 'wait' || !s.pending) return s.step;
        try {
          return await apply(s, await deps.hub.get(s.provider).completeLink(s.pending, { kind: 'poll' }));
        } catch (e) {
          return fail(s, e);
        }
      });
    },

    cancel(linkId) {
      drop(linkId);
    },

    async handleRedirect(raw) {
      try {
        const url = new URL(raw);
        if (!deps.isRedirectUrl(url)) return false;
        const state = url.searchParams.get('state');
        if (!state) return false;
        if (states.peek(state) === undefined) parking.restore(state);
        const linkId = states.peek(state);
        const s = linkId ? sessions.get(linkId) : undefined;
        if (!s || s.step.kind !== 'redirect' || !s.pending) return false;
        if (states.consume(state) !== s.id) return false;
        parking.forget(state);
        s.touchedAt = nowMs();
        await serial(s, async () => {
          try {
            await apply(s, await deps.hub.get(s.provider).completeLink(s.pending!, { kind: 'callback', url: url.toString() }));
          } catch (e) {
            // keep the session so link.poll can report the error once
            s.error = e instanceof AppError ? e : new AppError('internal');
            s.pending = null;
          }
          deps.onStepChanged(s.step);
        });
        return true;
      } catch {
        return false;
      }
    },
  };
}
