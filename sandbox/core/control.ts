// The control API: tests (and people) steer the sandbox world over HTTP on 127.0.0.1 only.
//   GET  /health                                  → { ok, seed, now, providers }
//   GET  /clock                                   → { now }
//   POST /clock {set?: ISO, advanceMs?: number}   → { now }
//   GET  /faults                                  → { pending: {provider: n} }
//   POST /faults {provider|'*', kind, count?, status?, retryAfterSec?, delayMs?, field?, renameTo?, item?, value?, path?} → { pending }
//        kind: server_error | rate_limit | timeout | malformed | truncated | drop | delay | schema_drift
//   DELETE /faults                                → { pending: {} }
//   GET  /served?provider=                        → { entries: [...], count }
//   DELETE /served                                → { ok }
//   GET  /ledger/accounts?bankId=&username=       → { accounts: [... with balance, available] }
//   GET  /ledger/:accountId/transactions?from=&to= → { transactions }
//   POST /ledger/:accountId/change-ids            → { changed: {oldId: newId} }
//   POST /ledger/:accountId/add-transactions {count, pending?} → { added: [...] }
//   POST /ledger/:accountId/book-pending          → { booked, vanished }   (POST /ledger/book-pending: every account)
//   GET  /providers                               → { <name>: { url, actions } }
//   POST /providers/:name/:action  (JSON body)    → { result } from the emulator's control hook
import type { Emulator, SandboxRequest, SandboxResponse, Handler } from './http.js';
import { json, Router } from './http.js';
import type { MutableLedger } from './bank.js';
import type { FaultKind, World } from './world.js';

export const FAULT_KINDS: FaultKind[] = ['server_error', 'rate_limit', 'timeout', 'malformed', 'truncated', 'drop', 'delay', 'schema_drift'];

export function isLoopback(addr: string | undefined): boolean {
  if (!addr) return false;
  const a = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

function hostAllowed(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.replace(/:\d+$/, '').toLowerCase();
  return h === '127.0.0.1' || h === 'localhost' || h === '[::1]';
}

const bad = (message: string): SandboxResponse => json(400, { error: 'bad_request', message });

export interface ControlDeps {
  world: World;
  ledger: MutableLedger;
  /** the running emulators by provider name, for /providers/:name/:action */
  emulators: () => Record<string, Emulator>;
  /** base URLs by provider name (for /providers and /health) */
  urls?: () => Record<string, string>;
}

export function createControlEmulator(deps: ControlDeps): Emulator {
  const { world, ledger } = deps;
  const r = new Router();
  const guard = (h: Handler): Handler => (req: SandboxRequest) => {
    if (!isLoopback(req.remoteAddress) || !hostAllowed(req.headers.host)) return json(403, { error: 'forbidden', message: 'The control API answers loopback requests only.' });
    return h(req);
  };
  const on = (method: string, path: string, h: Handler) => r.on(method, path, guard(h));
  const body = (req: SandboxRequest): Record<string, any> => (req.body && typeof req.body === 'object' ? req.body : {});

  on('GET', '/health', () => json(200, { ok: true, seed: world.seed, now: world.clock.now().toISOString(), providers: Object.keys(deps.emulators()) }));
  on('GET', '/clock', () => json(200, { now: world.clock.now().toISOString() }));
  on('POST', '/clock', (req) => {
    const b = body(req);
    try {
      if (b.set !== undefined) world.clock.set(String(b.set));
      if (b.advanceMs !== undefined) {
        const ms = Number(b.advanceMs);
        if (!Number.isFinite(ms)) return bad('advanceMs must be a number');
        world.clock.advance(ms);
      }
    } catch (e) { return bad((e as Error).message); }
    return json(200, { now: world.clock.now().toISOString() });
  });

  on('GET', '/faults', () => json(200, { pending: world.faults.pending() }));
  on('POST', '/faults', (req) => {
    const b = body(req);
    const provider = String(b.provider ?? '*');
    if (!FAULT_KINDS.includes(b.kind)) return bad(`kind must be one of ${FAULT_KINDS.join(', ')}`);
    if (provider !== '*' && !(provider in deps.emulators())) return bad(`no provider ${provider}`);
    const count = b.count === undefined ? 1 : Number(b.count);
    if (!Number.isInteger(count) || count < 1 || count > 100_000) return bad('count must be a positive integer');
    const num = (k: string) => (b[k] === undefined ? undefined : Number(b[k]));
    const fault = { kind: b.kind as FaultKind, status: num('status'), retryAfterSec: num('retryAfterSec'), delayMs: num('delayMs') };
    for (const k of ['status', 'retryAfterSec', 'delayMs'] as const) {
      if (fault[k] !== undefined && !(Number.isFinite(fault[k]) && fault[k]! >= 0)) return bad(`${k} must be a non-negative number`);
      if (fault[k] === undefined) delete fault[k];
    }
    if (b.item !== undefined) {
      if (!Number.isInteger(b.item) || b.item < 0) return bad('item must be a non-negative integer');
      (fault as Record<string, unknown>).item = b.item;
    }
    for (const k of ['field', 'renameTo', 'value', 'path'] as const) {
      if (b[k] === undefined) continue;
      if (typeof b[k] !== 'string' || !b[k]) return bad(`${k} must be a non-empty string`);
      (fault as Record<string, unknown>)[k] = b[k];
    }
    world.faults.add(provider, fault, count);
    return json(200, { pending: world.faults.pending() });
  });
  on('DELETE', '/faults', () => { world.faults.clear(); return json(200, { pending: world.faults.pending() }); });

  on('GET', '/served', (req) => {
    const provider = req.query.get('provider') ?? undefined;
    const entries = world.served.list(provider);
    return json(200, { entries, count: provider ? world.served.count(provider) : entries.length });
  });
  on('DELETE', '/served', () => { world.served.reset(); return json(200, { ok: true }); });

  on('GET', '/ledger/accounts', (req) => {
    const accounts = ledger.accounts({ bankId: req.query.get('bankId') ?? undefined, username: req.query.get('username') ?? undefined })
      .map((a) => ({ ...a, balanceMinor: ledger.balance(a.id), availableMinor: ledger.availableBalance(a.id) }));
    return json(200, { accounts });
  });
  on('GET', '/ledger/logins', () => json(200, { logins: ledger.logins(), banks: ledger.banks() }));
  const needAccount = (h: (id: string, req: SandboxRequest) => SandboxResponse): Handler => (req) =>
    ledger.account(req.params.accountId) ? h(req.params.accountId, req) : json(404, { error: 'not_found', message: `no account ${req.params.accountId}` });
  on('GET', '/ledger/:accountId/transactions', needAccount((id, req) =>
    json(200, { transactions: ledger.transactions(id, { from: req.query.get('from') ?? undefined, to: req.query.get('to') ?? undefined }) })));
  on('POST', '/ledger/book-pending', () => json(200, ledger.bookPending()));
  on('POST', '/ledger/:accountId/change-ids', needAccount((id) => json(200, { changed: ledger.changeIds(id) })));
  on('POST', '/ledger/:accountId/add-transactions', needAccount((id, req) => {
    const b = body(req);
    const count = b.count === undefined ? 1 : Number(b.count);
    if (!Number.isInteger(count) || count < 1 || count > 100_000) return bad('count must be a positive integer');
    return json(200, { added: ledger.addTransactions(id, count, { pending: Boolean(b.pending) }) });
  }));
  on('POST', '/ledger/:accountId/book-pending', needAccount((id) => json(200, ledger.bookPending(id))));

  on('GET', '/providers', () => {
    const urls = deps.urls?.() ?? {};
    return json(200, Object.fromEntries(Object.entries(deps.emulators()).map(([n, e]) => [n, { url: urls[n] ?? null, actions: Object.keys(e.control ?? {}) }])));
  });
  on('POST', '/providers/:name/:action', async (req) => {
    const e = deps.emulators()[req.params.name];
    if (!e) return json(404, { error: 'not_found', message: `no provider ${req.params.name}` });
    const hook = e.control?.[req.params.action];
    if (!hook) return json(404, { error: 'not_found', message: `${req.params.name} has no control action ${req.params.action}`, actions: Object.keys(e.control ?? {}) });
    try {
      return json(200, { result: (await hook(body(req))) ?? null });
    } catch (err) {
      return json(400, { error: 'control_failed', message: (err as Error).message });
    }
  });

  return {
    name: 'control',
    internal: true,
    router: r,
    notFound: (req) => (isLoopback(req.remoteAddress) && hostAllowed(req.headers.host)
      ? json(404, { error: 'not_found', path: req.path })
      : json(403, { error: 'forbidden', message: 'The control API answers loopback requests only.' })),
  };
}
