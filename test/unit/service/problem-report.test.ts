// "Save a problem report" (issue 16): a diagnostics file for a failed or partly failed sync holds what was asked (method,
// masked path, status), the answers' shapes (every value replaced by its type), and our error, and nothing of the
// user's: after real syncs against every emulator (one with an odd row kept aside, one failing), no token, password,
// client secret, IBAN, name, description or amount that crossed the wire is in any report.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPath, typeShape } from '../../../main/providers/trace.js';
import { scrubText } from '../../../main/service/report.js';
import type { MultibankService } from '../../../main/service/index.js';
import type { ProviderId } from '../../../main/domain/types.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { DEMO, link, openService, PROVIDERS, tempDir, wireTap } from '../../reliability/harness.js';

describe('report building blocks', () => {
  it('masks ids in paths, keeps only query names, and replaces every value by its type', () => {
    expect(maskPath(new URL('https://x.test/2.0/users/me/accounts/123/transactions?min_date=2026-01-01&limit=500'))).toBe('/2.0/users/:id/accounts/:id/transactions?min_date&limit');
    expect(maskPath(new URL('https://x.test/consent-resources/api/user/id/6f1c2b7a-aaaa-bbbb-cccc-1234567890ab/consent'))).toBe('/consent-resources/api/user/id/:id/consent');
    expect(maskPath(new URL('https://x.test/api/v1/bank-accounts/sk-tatra-demo-current/transactions'))).toBe('/api/v1/bank-accounts/:id/transactions');
    expect(typeShape({ transactions: [{ id: 1, value: -12.3, wording: 'Rent', coming: false, x: null }, { id: 2, value: '1e-7' }], next: null }))
      .toEqual({ transactions: { items: 2, of: [{ id: 'number', value: 'number', wording: 'string', coming: 'boolean', x: 'null' }, { id: 'number', value: 'string' }] }, next: 'null' });
    expect(typeShape({ DE89370400440532013000: 1 })).toEqual({ '[key]': 'number' });
  });
  it('scrubs our own messages of IBANs, quoted text and digits', () => {
    expect(scrubText('Amount -16192638.834382623 has more decimals than EUR allows (2)')).toBe('Amount -########.######### has more decimals than EUR allows (#)');
    expect(scrubText('Not a decimal amount: "12,50" from DE89 3704 0044 0532 0130 00')).toBe('Not a decimal amount: [text] from [iban]');
  });
});

/** JSON keys whose string values are secrets, names, free text or money in what the emulators sent */
const SECRET_KEY = /token|secret|password|passwd|assertion|verifier|api_?key|code$/i;
const NOT_SECRET_KEY = /endpoint|supported|type|url|uri|expires|lifetime|currency|country|status|bank_?code/i;
const PERSONAL_KEY = /name|label|wording|purpose|remittance|description|iban|holder|address|account_identification|number$/i;
const MONEY_KEY = /amount|^value$|balance|coming|gross_value|availableFunds/i;

function collect(v: unknown, out: { secrets: Set<string>; personal: Set<string>; money: Set<string> }, key = ''): void {
  if (Array.isArray(v)) { for (const x of v) collect(x, out, key); return; }
  if (v && typeof v === 'object') { for (const [k, x] of Object.entries(v)) collect(x, out, k); return; }
  if (typeof v !== 'string' && typeof v !== 'number') return;
  const s = String(v);
  if (SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key) && s.length >= 8) out.secrets.add(s);
  if (PERSONAL_KEY.test(key) && s.length >= 4) out.personal.add(s);
  // decimals, and whole amounts too long to be a count or a status
  if (MONEY_KEY.test(key) && (/\d\.\d/.test(s) || s.replace(/\D/g, '').length >= 6)) out.money.add(s.replace(/^-/, ''));
}

describe('problem reports after real syncs', () => {
  let sandbox: RunningSandbox;
  let service: MultibankService;
  let dataDir: string;
  const wire = wireTap();
  beforeAll(async () => {
    sandbox = await startSandbox({ now: '2026-06-15T12:00:00Z' });
    dataDir = tempDir('report');
    service = await openService({ dataDir, cipherKey: '56'.repeat(32), sandbox, fetch: wire.fetch });
    await service.call('demo.start', undefined);
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('hold requests, shapes and errors, and no secret, token, IBAN, name or amount', async () => {
    const amountField: Record<string, string> = { powens: 'value', finapi: 'amount', everifin: 'amount', banqware: 'amount' };
    const ids: number[] = [];
    for (const p of PROVIDERS as readonly ProviderId[]) {
      const done = await link(service, p);
      ids.push(done.connectionId);
      // a partly failed first sync: the first row of every page has an amount with too many decimals
      sandbox.world.faults.add(p, { kind: 'schema_drift', path: p === 'banqware' ? '/transaction' : '/transactions', item: 0, field: amountField[p], value: '-16192638.834382623' }, 10_000);
      await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
      await service.idle();
      sandbox.world.faults.clear();
    }
    // a failed sync of every connection
    sandbox.world.faults.add('*', { kind: 'server_error', status: 500 }, 200);
    await service.call('sync.run', {});
    await service.idle();
    sandbox.world.faults.clear();

    const runs = (await service.call('sync.log', { limit: 100 })).filter((r) => r.outcome === 'error' || (r.unreadableCount ?? 0) > 0);
    expect(runs.filter((r) => r.outcome === 'error')).toHaveLength(4);
    expect(runs.filter((r) => (r.unreadableCount ?? 0) > 0)).toHaveLength(4);
    const reports = await Promise.all(runs.map((r) => service.call('sync.report', { runId: r.id })));
    for (const r of reports) {
      const body = JSON.parse(r.content) as { sync: { outcome: string; error: unknown; unreadable: { count: number } }; requests: { recorded: number; entries: Array<{ method: string; path: string; status: number | null; shape: unknown }> }; rowsKeptAside: unknown[] };
      // what a developer needs: the requests with their statuses and shapes, and our error
      expect(body.requests.recorded).toBeGreaterThan(0);
      expect(body.requests.entries.every((e) => /^[A-Z]+$/.test(e.method) && e.path.startsWith('/'))).toBe(true);
      if (body.sync.outcome === 'error') {
        expect(body.requests.entries.some((e) => e.status === 500)).toBe(true);
        expect(body.sync.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      } else {
        expect(body.sync.unreadable.count).toBeGreaterThan(0);
        expect(body.rowsKeptAside.length).toBeGreaterThan(0);
        expect(JSON.stringify(body.requests.entries)).toMatch(/"items":\d+,"of":\[\{/);
      }
    }

    const found = { secrets: new Set<string>([DEMO.password]), personal: new Set<string>(), money: new Set<string>(['16192638.834382623']) };
    for (const e of sandbox.world.served.list()) collect(e.body, found);
    for (const b of wire.bodies) collect(b, found);
    for (const [k, d] of Object.entries(sandbox.describe())) if (k !== 'control' && typeof d === 'object') collect(d, found);
    // the search has something to find
    expect(found.secrets.size).toBeGreaterThan(10);
    expect(found.personal.size).toBeGreaterThan(50);
    expect(found.money.size).toBeGreaterThan(50);
    // the search finds what is there: the rows kept aside in the database still hold their amounts (the report holds types)
    const keptRaw = JSON.stringify(await service.call('accounts.unreadable', { accountId: (await service.call('accounts.list', undefined))[0].id }));
    expect([...found.money].filter((n) => keptRaw.includes(n)).length).toBeGreaterThan(0);
    const valuesOf = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(valuesOf)
      : v && typeof v === 'object' ? Object.values(v).flatMap(valuesOf) : [String(v)]);
    for (const r of reports) {
      const text = r.content;
      // secrets anywhere; names and amounts among the values that came from the sync (field names such as "iban" are the
      // vendors' schema; the report's own wording, markers and instants are ours)
      const { report: _r, privacy: _p, app: _a, createdAt: _c, ...fromSync } = JSON.parse(text) as Record<string, unknown>;
      const values = valuesOf(fromSync).join('\n')
        .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, '').replace(/\[(iban|text|key)\]/g, '');
      const leaks = [...[...found.secrets].filter((n) => text.includes(n)), ...[...found.personal, ...found.money].filter((n) => values.includes(n))];
      expect(leaks, r.filename).toEqual([]);
      expect(text).not.toMatch(/[A-Z]{2}\d{2}[A-Z0-9]{11,30}/);
      // digits only in instants, counts, statuses and durations: no decimal amount anywhere in what came from the sync
      expect(values.replace(/\/\d+\.\d+\//g, '/')).not.toMatch(/\d\.\d/);
    }
  }, 300_000);
});
