// The service against the real aggregator clients and the sandbox's emulators over HTTP: link, sync, renew, expire, remove.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LinkStepDto } from '../../../preload/contract/channels.js';
import { PROVIDERS } from '../../../main/providers/registry.js';
import { EMULATORS } from '../../../sandbox/emulators.js';
import { testNow } from '../../helpers/clock.js';
import { allRows as allServiceRows, completeLink, DEMO } from '../../reliability/harness.js';
import { demoWorld } from '../../reliability/world.js';

const providers = (Object.keys(PROVIDERS) as Array<keyof typeof PROVIDERS>).filter((p) => p in EMULATORS);

/**
 * How each emulator withdraws access on the aggregator's side (its control hook), and the state the client reports.
 * Powens: the user is gone at Powens (reset) -> 404 -> revoked. Everifin: Keycloak answers invalid_grant ("Session not active")
 * for a revoked and for an expired sign-in alike, so the client can only say expired (main/providers/everifin/consent.ts).
 */
const REVOKE: Record<string, { action: string; body: Record<string, unknown>; state: string }> = {
  powens: { action: 'reset', body: {}, state: 'revoked' },
  finapi: { action: 'revokeConsent', body: {}, state: 'revoked' },
  everifin: { action: 'revoke', body: {}, state: 'expired' },
  banqware: { action: 'revoke', body: {}, state: 'revoked' },
  enablebanking: { action: 'revoke', body: {}, state: 'revoked' },
};

describe.each(providers)('%s through the service against its emulator', (provider) => {
  let loopbackOrigin = '';
  const notified: string[] = [];
  const warnings: Array<{ connectionId: number; state: string }> = [];
  // a fixed instant (MULTIBANK_TEST_NOW tries others): the emulators' histories and consent ends do not follow the real
  // day; the service lives on the sandbox's clock, so expiry can be approached and passed
  const world = demoWorld({ providers: [provider], dir: `emu-${provider}`, cipherKey: '3c'.repeat(32), now: testNow('2026-06-15T12:00:00Z').toISOString(),
    months: null, notify: (title) => notified.push(title) });
  beforeAll(() => { world.service.on('consent.warning', (w) => warnings.push(w)); });

  /** drive a link (or renewal) to 'done'; an address back through the loopback listener is kept for the forgery check */
  const complete = (first: LinkStepDto) => completeLink(world.service, first, DEMO, (back) => {
    if (back.startsWith('http:')) loopbackOrigin = new URL(back).origin;
  });
  const allRows = () => allServiceRows(world.service);
  const allTransactions = async () => (await allRows()).map((r) => r.id);

  it('links, syncs, renews without duplicates, and removes', async () => {
    expect(world.demo.find((p) => p.id === provider)?.configured).toBe(true);
    const { service } = world;
    const institutions = await service.call('institutions.list', { provider, query: '' }).catch(() => []);
    const institution = institutions.find((i) => !/SCA every|ends soon|expires/i.test(i.name)) ?? institutions[0];

    const done = await complete(await service.call('link.begin', { provider, ...(institution ? { institutionId: institution.id } : {}) }));
    expect(done.accounts.length, JSON.stringify(await service.call("connections.list", undefined))).toBeGreaterThan(0);
    const accountIds = done.accounts.map((a) => a.id);
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds });
    await service.idle();
    const [run] = await service.call('sync.log', { connectionId: done.connectionId, limit: 1 });
    expect(run, JSON.stringify(run)).toMatchObject({ outcome: 'ok' });
    const before = await allTransactions();
    expect(before.length).toBeGreaterThan(0);
    const [conn] = await service.call('connections.list', undefined);
    expect(conn).toMatchObject({ id: done.connectionId, provider, lastErrorCode: null });
    expect(['active', 'expiring']).toContain(conn.state);
    // Banqware's KYC resource names the account holder; the others do not tell
    if (provider === 'banqware') expect(conn.holderName).toMatch(/\p{L}+ \p{L}+/u);
    else expect(conn.holderName).toBeNull();

    // renewal: same connection, same local accounts, no duplicated transactions
    const renewed = await complete(await service.call('link.begin', { provider, renewConnectionId: done.connectionId }));
    expect(renewed.connectionId).toBe(done.connectionId);
    await service.idle();
    expect((await service.call('accounts.list', undefined)).map((a) => a.id).sort()).toEqual([...accountIds].sort());
    const after = await allTransactions();
    expect(new Set(after).size).toBe(after.length);
    expect(after.filter((id) => !before.includes(id))).toEqual([]);
    expect((await service.call('sync.log', { connectionId: done.connectionId, limit: 1 }))[0]).toMatchObject({ outcome: 'ok', newCount: 0 });

    // a forged redirect to the same listener changes nothing
    if (loopbackOrigin) expect(await service.handleRedirect(`${loopbackOrigin}/callback?code=x&state=${'A'.repeat(43)}`)).toBe(false);

    await service.call('connections.remove', { connectionId: done.connectionId, deleteLocalData: false });
    expect((await service.call('connections.list', undefined))[0]).toMatchObject({ state: 'revoked', removedAt: expect.any(String) });
    expect(await allTransactions()).toHaveLength(after.length);
    await service.call('connections.remove', { connectionId: done.connectionId, deleteLocalData: true });
    expect(await service.call('accounts.list', undefined)).toEqual([]);
  }, 120_000);

  it('consent: expiring soon with a notification, expired after the end, renewed with history intact, revoked at the aggregator', async () => {
    const { service, sandbox } = world;
    const institutions = await service.call('institutions.list', { provider, query: '' }).catch(() => []);
    const institution = institutions.find((i) => !/SCA every|ends soon|expires/i.test(i.name)) ?? institutions[0];
    const done = await complete(await service.call('link.begin', { provider, ...(institution ? { institutionId: institution.id } : {}) }));
    const id = done.connectionId;
    await service.call('link.chooseAccounts', { connectionId: id, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    const conn = () => service.call('connections.list', undefined).then((l) => l.find((c) => c.id === id)!);
    const sync = async () => { await service.call('sync.run', { connectionId: id }); await service.idle(); };
    const { expiresAt } = await conn();
    expect(expiresAt, `${provider} reports no consent expiry`).not.toBeNull();

    // three days before the end: expiring, one warning and one OS notification
    sandbox.world.clock.set(new Date(Date.parse(expiresAt!) - 3 * 86_400_000).toISOString());
    await sync();
    expect(await conn()).toMatchObject({ state: 'expiring', daysLeft: 2 });
    expect(warnings.filter((w) => w.connectionId === id)).toEqual([expect.objectContaining({ state: 'expiring' })]);
    expect(notified.at(-1)).toMatch(/access expires in 2 days/);
    service.checkConsents();
    expect(warnings.filter((w) => w.connectionId === id)).toHaveLength(1);

    // after the end: expired (the sync is refused, nothing is lost), the expiry notice
    const before = await allTransactions();
    const beforeRows = new Map((await allRows()).map((r) => [r.id, r]));
    sandbox.world.clock.set(new Date(Date.parse(expiresAt!) + 86_400_000).toISOString());
    await sync();
    expect((await conn()).state).toBe('expired');
    expect(warnings.filter((w) => w.connectionId === id).map((w) => w.state)).toEqual(['expiring', 'expired']);
    expect(notified.at(-1)).toMatch(/access has expired/);
    // (Powens still serves the copy it kept, where a pending may show as booked: the same rows, perhaps in another order)
    expect((await allTransactions()).sort()).toEqual([...before].sort());

    // renew: same local accounts, no duplicated transactions, a new expiry in the future
    const renewed = await complete(await service.call('link.begin', { provider, renewConnectionId: id }));
    await service.idle();
    expect(renewed.accounts.map((a) => a.id).sort()).toEqual(done.accounts.map((a) => a.id).sort());
    const after = await allTransactions();
    expect(new Set(after).size).toBe(after.length);
    // every row is kept, except a pending payment the bank dropped while access had lapsed (an authorisation released)
    const gone = before.filter((t) => !after.includes(t)).map((t) => beforeRows.get(t)!);
    const atBank = sandbox.ledger.accounts().flatMap((a) => sandbox.ledger.transactions(a.id));
    const near = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) <= 7 * 86_400_000;
    for (const row of gone) {
      expect(row.status, JSON.stringify(row)).toBe('pending');
      expect(atBank.filter((t) => t.amountMinor === row.amount && t.description === row.description && near(t.bookingDate, row.bookingDate))).toEqual([]);
    }
    const fresh = await conn();
    expect(fresh.state).toBe('active');
    expect(Date.parse(fresh.expiresAt!)).toBeGreaterThan(sandbox.world.clock.now().getTime() + 7 * 86_400_000);

    // withdrawn at the aggregator: revoked
    const revoke = REVOKE[provider];
    await sandbox.emulators[provider].control![revoke.action](revoke.body);
    await sync();
    expect(await conn(), JSON.stringify([await conn(), (await service.call('sync.log', { connectionId: id, limit: 1 }))[0]])).toMatchObject({ state: revoke.state });
    const kept = await allTransactions();
    expect(after.every((t) => kept.includes(t))).toBe(true);
  }, 120_000);
});
