import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENT_NAMES, requests, type Channel, type EventName } from '../../../preload/contract/channels.js';
import { AppError } from '../../../main/domain/errors.js';
import { formatMessage } from '../../../locales/format.js';
import { createDispatcher, forwardEvents, IPC_CALL, IPC_EVENT } from '../../../main/ipc/index.js';
import { clearRegisteredSecrets, createLogger, registerSecret } from '../../../main/log/index.js';
import type { Service } from '../../../main/service/api.js';
import { readFileSync } from 'node:fs';

/** one valid request per channel */
const VALID: Record<Channel, unknown> = {
  'app.info': undefined,
  'lock.status': undefined,
  'lock.lock': undefined,
  'lock.unlock': { passphrase: 'a passphrase' },
  'providers.list': {},
  'providers.configure': { provider: 'powens', baseUrl: 'https://demo.example/api', clientId: 'id', clientSecret: 's', options: { domain: 'x' } },
  'demo.start': undefined,
  'demo.status': undefined,
  'demo.stop': undefined,
  'institutions.list': { provider: 'finapi', query: 'bank' },
  'link.begin': { provider: 'everifin', institutionId: 'b1' },
  'link.submit': { linkId: 'link-12345', values: { user: 'u' } },
  'link.poll': { linkId: 'link-12345' },
  'link.cancel': { linkId: 'link-12345' },
  'link.chooseAccounts': { connectionId: 1, accountIds: [1, 2] },
  'link.match': { linkId: 'link-12345', choices: [{ remoteKey: 'card-2', accountId: 4 }, { remoteKey: 'card-3', accountId: null }] },
  'connections.list': undefined,
  'connections.remove': { connectionId: 3, deleteLocalData: false },
  'revocations.list': undefined,
  'revocations.retry': { connectionId: 3 },
  'revocations.forget': { connectionId: 3 },
  'accounts.list': undefined,
  'accounts.balanceHistory': { accountId: 1, from: '2026-01-01' },
  'accounts.monthly': { accountId: 1 },
  'accounts.topCounterparties': { accountId: 1, limit: 5 },
  'overview.totals': undefined,
  'transactions.list': { search: 'rent', limit: 20, direction: 'out' },
  'transactions.get': { id: 9 },
  'transactions.update': { id: 9, note: 'hello', category: null },
  'sync.run': {},
  'sync.cancel': { connectionId: 1 },
  'sync.status': undefined,
  'sync.log': { limit: 10 },
  'accounts.unreadable': { accountId: 1 },
  'sync.report': { runId: 1 },
  'export.run': { format: 'csv' },
  'prefs.get': undefined,
  'prefs.set': { theme: 'dark' },
  'db.check': undefined,
  'backup.list': undefined,
  'backup.create': undefined,
  'backup.restore': { name: 'multibank-2026-12-03T07-18-02-123Z-daily.db' },
  'vault.reset': undefined,
  'categories.list': undefined,
  'categories.add': { name: 'Pets' },
  'categories.rename': { id: 2, name: 'Food and drink' },
  'categories.remove': { id: 2, moveTo: null },
  'rules.list': undefined,
  'rules.add': { categoryId: 1, text: 'rewe', minAmount: '5', maxAmount: '120.50', direction: 'out', accountId: 3 },
  'rules.remove': { id: 4 },
  'rules.move': { id: 4, position: 0 },
  'rules.apply': { dryRun: true },
  'accounts.spendingByCategory': { accountId: 1 },
  'import.inspect': { fileName: 'march.csv', content: 'YQ==' },
  'import.preview': { fileName: 'march.xml', content: 'PERvY3VtZW50Lz4=', accountId: 1 },
  'import.run': { fileName: 'march.csv', content: 'YQ==', format: 'csv', csvMapping: { date: 'Datum', amount: 'Betrag', description: ['Text'], currency: 'EUR', dateFormat: 'DD.MM.YYYY', decimal: ',' } },
  'import.undo': { importId: 3 },
  'import.list': {},
  'transfers.list': {},
  'transfers.get': { transactionId: 1 },
  'transfers.unlink': { transactionId: 1 },
  'transfers.confirm': { transactionId: 1 },
  'accounts.historyGaps': {},
  'networth.get': { base: 'CZK', months: 12 },
  'accounts.prefer': { accountId: 1 },
  'import.removeManualAccount': { accountId: 7 },
};

function fakeService(impl: (channel: string, req: unknown) => unknown = () => ({ fine: true })) {
  const call = vi.fn(async (channel: string, req: unknown) => impl(channel, req));
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const service = {
    call,
    on: vi.fn((event: string, l: (p: unknown) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => listeners.get(event)!.delete(l);
    }),
    handleRedirect: vi.fn(async () => false),
    close: vi.fn(async () => {}),
  };
  const emit = (event: string, payload: unknown) => { for (const l of listeners.get(event) ?? []) l(payload); };
  return { service: service as unknown as Service, call, emit, listeners };
}

const trusted = { isTrustedSender: (s: string) => s === 'app' };

describe('createDispatcher', () => {
  it('has a valid sample for every channel, and valid requests reach the service parsed', async () => {
    expect(Object.keys(VALID).sort()).toEqual([...CHANNELS].sort());
    const { service, call } = fakeService();
    const dispatch = createDispatcher(service, trusted);
    for (const channel of CHANNELS) {
      const res = await dispatch('app', channel, VALID[channel]);
      expect(res, channel).toEqual({ ok: true, value: { fine: true } });
    }
    expect(call).toHaveBeenCalledTimes(CHANNELS.length);
    // defaults were applied by zod before the service saw the request
    expect(call).toHaveBeenCalledWith('accounts.monthly', { accountId: 1, months: 12 });
    expect(call).toHaveBeenCalledWith('transactions.list', expect.objectContaining({ sort: 'date_desc', limit: 20 }));
  });

  it('refuses untrusted senders with forbidden, without calling the service', async () => {
    const { service, call } = fakeService();
    const dispatch = createDispatcher(service, trusted);
    expect(await dispatch('https://evil.example', 'accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const throwing = createDispatcher(service, { isTrustedSender: () => { throw new Error('no frame'); } });
    expect(await throwing('app', 'accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(call).not.toHaveBeenCalled();
  });

  it('answers unknown channels with validation', async () => {
    const { service, call } = fakeService();
    const dispatch = createDispatcher(service, trusted);
    for (const channel of ['nope', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 42, null, undefined, { x: 1 }]) {
      expect(await dispatch('app', channel, {}), String(channel)).toMatchObject({ ok: false, error: { code: 'validation', message: 'Unknown request type.' } });
    }
    expect(call).not.toHaveBeenCalled();
  });

  it('names the field at fault in the reader\'s words; zod\'s English goes to the log only', async () => {
    const { service } = fakeService();
    const lines: string[] = [];
    const dispatch = createDispatcher(service, { ...trusted, logger: createLogger({ sink: (l) => lines.push(l), level: 'debug' }) });
    const res = await dispatch('app', 'accounts.monthly', { accountId: -1, months: 'x', extra: true });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('validation');
    expect(res.error.i18n?.message).toEqual({ id: 'error.invalid_request', values: { field: 'accountId', problem: 'too_small', more: 2 } });
    expect(res.error.message).toBe('Invalid request (accountId): the value is too small or too short; 2 more problems.');
    const m = res.error.i18n!.message;
    expect(formatMessage('de', m.id, m.values)).toBe('Ungültige Anfrage (accountId): der Wert ist zu klein oder zu kurz; 2 weitere Probleme.');
    expect(formatMessage('pl', m.id, m.values)).toBe('Nieprawidłowe żądanie (accountId): wartość jest za mała lub za krótka; 2 kolejne problemy.');
    expect(formatMessage('sk', m.id, { ...m.values, more: 5 })).toBe('Neplatná požiadavka (accountId): hodnota je príliš malá alebo krátka; 5 ďalších problémov.');
    for (const language of ['de', 'fr', 'sk', 'pl'] as const) expect(formatMessage(language, m.id, m.values)).not.toMatch(/Too small|expected/);
    expect(lines.join('\n')).toMatch(/ipc request refused.*accountId: Too small/);

    // a field the request does not take, and a payload that is no object at all
    const extra = await dispatch('app', 'accounts.monthly', { accountId: 1, extra: true });
    expect(!extra.ok && extra.error.message).toBe('Invalid request (extra): this field is not known.');
    // a schema's own words (preload/contract: field.*), in the reader's language
    const own = await dispatch('app', 'categories.add', { name: '  ' });
    expect(!own.ok && own.error.message).toBe('A category needs a name.');
    expect(!own.ok && formatMessage('sk', own.error.i18n!.message.id, own.error.i18n!.message.values)).toBe('Kategória potrebuje názov.');
    const whole = await dispatch('app', 'accounts.monthly', 'x');
    expect(!whole.ok && formatMessage('fr', whole.error.i18n!.message.id, whole.error.i18n!.message.values)).toBe('Demande non valide (demande entière)\u202f: la valeur n’a pas le bon type.');
  });

  it('every channel: generated invalid payloads get a validation error and never reach the service', async () => {
    const { service, call } = fakeService();
    const dispatch = createDispatcher(service, trusted);
    for (const channel of CHANNELS) {
      const schema = requests[channel];
      const invalid = (x: unknown) => !schema.safeParse(x).success;
      const valid = VALID[channel];
      const arbs: fc.Arbitrary<unknown>[] = [fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withDate: true, withSparseArray: true })];
      // an unknown extra key is refused (strict objects)
      arbs.push(fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !(valid && typeof valid === 'object' && k in valid) && !['__proto__'].includes(k))
        .map((k) => ({ ...(valid as object ?? {}), [k]: 1 })));
      // one field of a valid request replaced by something of the wrong shape
      const keys = valid && typeof valid === 'object' ? Object.keys(valid) : [];
      if (keys.length > 0) {
        arbs.push(fc.tuple(fc.constantFrom(...keys), fc.anything()).map(([k, v]) => ({ ...(valid as object), [k]: v })));
      }
      await fc.assert(
        fc.asyncProperty(fc.oneof(...arbs).filter(invalid), async (payload) => {
          const res = await dispatch('app', channel, payload);
          return !res.ok && res.error.code === 'validation' && typeof res.error.message === 'string' && res.error.message.length > 0;
        }),
        { numRuns: 60 },
      );
    }
    expect(call).not.toHaveBeenCalled();
  });

  it('maps AppError to its code, message and action', async () => {
    const { service } = fakeService(() => { throw new AppError('consent_expired', { id: 'error.no_backup', values: { name: 'b1' } }); });
    const res = await createDispatcher(service, trusted)('app', 'sync.run', {});
    expect(res).toEqual({ ok: false, error: {
      code: 'consent_expired', message: 'There is no backup named b1. See the list of backups.', action: 'Renew',
      i18n: { message: { id: 'error.no_backup', values: { name: 'b1' } }, action: { id: 'action.consent_expired' } },
    } });
  });

  it('turns anything else into internal, logged redacted, never a throw', async () => {
    registerSecret('rt-super-secret-1');
    const lines: string[] = [];
    const logger = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
    const { service } = fakeService((channel) => {
      if (channel === 'sync.run') throw new TypeError('token rt-super-secret-1 broke with Bearer abc.def');
      if (channel === 'sync.status') return Promise.reject('a string');
      return undefined;
    });
    const dispatch = createDispatcher(service, { ...trusted, logger });
    const res = await dispatch('app', 'sync.run', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'internal', message: 'Something went wrong inside Multibank.' } });
    expect(JSON.stringify(res)).not.toContain('rt-super-secret-1');
    expect(await dispatch('app', 'sync.status', undefined)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await dispatch('app', 'link.cancel', { linkId: 'link-12345' })).toEqual({ ok: true, value: null });
    const log = lines.join('\n');
    expect(log).toContain('ipc call failed');
    expect(log).not.toContain('rt-super-secret-1');
    expect(log).not.toContain('abc.def');
    clearRegisteredSecrets();
  });
});

describe('forwardEvents', () => {
  it('forwards every event and unsubscribes', () => {
    const { service, emit, listeners } = fakeService();
    const sent: Array<[EventName, unknown]> = [];
    const off = forwardEvents(service, (e, p) => sent.push([e, p]));
    for (const e of EVENT_NAMES) emit(e, { e });
    expect(sent).toEqual(EVENT_NAMES.map((e) => [e, { e }]));
    const failing = forwardEvents(service, () => { throw new Error('window gone'); });
    expect(() => emit('connections.changed', { connectionId: null })).not.toThrow();
    off(); failing();
    expect([...listeners.values()].every((s) => s.size === 0)).toBe(true);
  });

  it('preload uses the same channel names', () => {
    const preload = readFileSync(new URL('../../../preload/index.ts', import.meta.url), 'utf8');
    expect(preload).toContain(`'${IPC_CALL}'`);
    expect(preload).toContain(`'${IPC_EVENT}'`);
  });
});
