// An in-test aggregator: a scripted Provider with a tiny in-memory bank, for service tests until (and beside) the real ones.
import type { ConsentInfo, RemoteAccount, RemoteTransaction } from '../../../main/domain/types.js';
import {
  ProviderError, type ConnectionContext, type LinkInput, type LinkStep, type PendingLink, type Provider, type ProviderConfig,
} from '../../../main/providers/provider.js';
import type { UnreadableRow } from '../../../main/providers/rows.js';
import type { ProviderRegistry } from '../../../main/providers/hub.js';

export const GOOD_SECRET = 'client-secret-good-7f3a9c';

export interface ScriptedWorld {
  /** how many times each link completed: user n gets connection `c<n>` */
  links: number;
  /** generation of remote ids: renewal bumps it (remote account ids change, IBANs stay) */
  generation: number;
  consent: ConsentInfo;
  removed: string[];
  selected: string[][];
  tokens: string[];
  transactions: Record<string, RemoteTransaction[]>;
  /** rows of an account's page the client could not read */
  unreadable?: Record<string, UnreadableRow[]>;
  /** errors thrown by the next refresh */
  refreshError: ProviderError | null;
}

export function scriptedWorld(): ScriptedWorld {
  return {
    links: 0, generation: 1, consent: { state: 'active', expiresAt: null }, removed: [], selected: [], tokens: [],
    transactions: {
      A: [
        { remoteId: 't1', bookingDate: '2026-11-01', amount: -1250, currency: 'EUR', status: 'booked', description: 'Coffee Roastery', counterpartyName: 'Roastery', raw: { id: 't1' } },
        { remoteId: 't2', bookingDate: '2026-11-03', amount: 250000, currency: 'EUR', status: 'booked', description: 'Salary November', counterpartyName: 'Employer GmbH', raw: { id: 't2' } },
      ],
      B: [
        { remoteId: 't3', bookingDate: '2026-11-02', amount: -5000, currency: 'EUR', status: 'booked', description: 'Savings transfer', raw: { id: 't3' } },
      ],
    },
    refreshError: null,
  };
}

const ACCOUNTS = [
  { key: 'A', iban: 'DE89370400440532013000', name: 'Current account', type: 'current' as const },
  { key: 'B', iban: 'DE02120300000000202051', name: 'Savings', type: 'savings' as const },
];

export function scriptedProvider(config: ProviderConfig, world: ScriptedWorld): Provider {
  const done = (token: string): LinkStep => {
    world.links++;
    world.tokens.push(token);
    return {
      kind: 'done',
      connection: {
        remote: { userId: 'user-1', connectionId: `c${world.generation}` },
        secrets: { accessToken: token },
        institutionId: 'bank-1',
        institutionName: 'Scripted Bank',
        consent: world.consent,
      },
    };
  };
  const remoteId = (key: string) => `${key}-g${world.generation}`;
  const keyOf = (remote: string) => remote.split('-')[0];
  const authorizeUrl = (redirectUri: string, state: string) =>
    `https://aggregator.example/authorize?client_id=${encodeURIComponent(config.clientId)}&redirect_uri=${encodeURIComponent(redirectUri)}&state=${encodeURIComponent(state)}`;
  const check = (ctx: ConnectionContext) => {
    if (!world.tokens.includes(ctx.secrets.accessToken)) throw new ProviderError('consent_expired', 'Unknown token');
  };
  return {
    id: config.provider,
    capabilities: { redirects: ['custom_scheme', 'loopback'], institutionsListable: true, pendingTransactions: true, maxHistoryDays: 90, overlapDays: 10, dailyUnattendedBudget: 4 },
    async checkConfig() {
      if (config.clientSecret !== GOOD_SECRET) throw new ProviderError('auth_failed', 'invalid_client', { providerCode: 'invalid_client', status: 401 });
    },
    async listInstitutions(query) {
      return [{ id: 'bank-1', name: 'Scripted Bank', country: 'DE', methods: ['webauth'] }, { id: 'form-bank', name: 'Form Bank', country: 'FR', methods: ['credentials'] }]
        .filter((i) => i.name.toLowerCase().includes(query.toLowerCase()));
    },
    async beginLink({ institutionId, redirectUri, state }) {
      if (institutionId === 'form-bank') {
        return { kind: 'form', fields: [{ name: 'login', label: 'Login', type: 'text', required: true }, { name: 'password', label: 'Password', type: 'password', required: true }], pending: { step: 'login' } };
      }
      return { kind: 'redirect', url: authorizeUrl(redirectUri, state), pending: { redirectUri, state } };
    },
    async completeLink(pending: PendingLink, input: LinkInput) {
      if (input.kind === 'callback') {
        const u = new URL(input.url);
        if (u.searchParams.get('error')) throw new ProviderError('consent_revoked', 'The user refused access.', { providerCode: u.searchParams.get('error') });
        if (u.searchParams.get('code') !== 'good-code') throw new ProviderError('auth_failed', 'bad code');
        return done(`access-token-${world.links + 1}-secret-x9`);
      }
      if (input.kind === 'form') {
        if (input.values.password !== 'demo') throw new ProviderError('wrong_credentials', 'Wrong password.', { providerCode: 'wrongpass' });
        return { kind: 'wait', message: 'Approve in your banking app', pollAfterMs: 10, pending: { step: 'decoupled', polls: 0 } };
      }
      const polls = Number(pending.polls ?? 0);
      if (polls < 1) return { kind: 'wait', message: 'Still waiting', pollAfterMs: 10, pending: { ...pending, polls: polls + 1 } };
      return done(`access-token-${world.links + 1}-secret-x9`);
    },
    async refreshConnection(ctx) {
      check(ctx);
      if (world.refreshError) { const e = world.refreshError; world.refreshError = null; throw e; }
      return world.consent;
    },
    async listAccounts(ctx): Promise<RemoteAccount[]> {
      check(ctx);
      return ACCOUNTS.map((a) => ({ remoteId: remoteId(a.key), iban: a.iban, name: a.name, type: a.type, currency: 'EUR', balanceCurrent: 100000, balanceCurrentDate: '2026-11-20', enabled: true }));
    },
    async selectAccounts(ctx, remoteIds) {
      check(ctx);
      world.selected.push(remoteIds);
    },
    async fetchTransactions(ctx, accountRemoteId, window) {
      check(ctx);
      const all = (world.transactions[keyOf(accountRemoteId)] ?? []).filter((t) => t.bookingDate >= window.from && t.bookingDate <= window.to);
      return { transactions: all, unreadable: world.unreadable?.[keyOf(accountRemoteId)] ?? [], nextCursor: null };
    },
    async consent(ctx) { check(ctx); return world.consent; },
    async beginRenewal(ctx, { redirectUri, state }) {
      check(ctx);
      world.generation++;
      return { kind: 'redirect', url: authorizeUrl(redirectUri, state), pending: { redirectUri, state, renew: true } };
    },
    async remove(ctx) {
      world.removed.push(ctx.remote.connectionId);
    },
  };
}

export function scriptedRegistry(world: ScriptedWorld): ProviderRegistry {
  return {
    powens: { name: 'Scripted (as Powens)', factory: (config) => scriptedProvider(config, world), defaultBaseUrl: 'https://aggregator.example', optionNames: ['domain'],
      contact: { legalName: 'Scripted', site: 'aggregator.example' } },
  };
}
