// Powens writes `state=null` on its webauth callback when it has no state of ours [SEED 004]: the service hands such a
// callback to the one Powens link waiting at its browser step if Powens' answer checks out, and refuses it while two
// are waiting (which one?) or when it does not (a forged callback leaves the waiting link as it was).
import { describe, expect, it, vi } from 'vitest';
import type { LinkStepDto } from '../../../preload/contract/channels.js';
import { demoWorld } from '../../reliability/world.js';
import { browse } from './bank-browser.js';
import { testNow } from '../../helpers/clock.js';

describe('a Powens webauth callback with state=null', () => {
  const world = demoWorld({ providers: ['powens'], dir: 'powens-null-state', cipherKey: '6b'.repeat(32), now: testNow('2026-06-15T12:00:00Z').toISOString(), months: null });

  /** begin a link at a bank that signs in on its own page; the callback URL the bank sends back, with state=null */
  async function callbackWithoutState(): Promise<{ step: LinkStepDto & { kind: 'redirect' }; back: string }> {
    const institutions = await world.service.call('institutions.list', { provider: 'powens', query: '' });
    const bank = institutions.find((i) => i.methods?.length === 1 && i.methods[0] === 'webauth')!;
    const step = await world.service.call('link.begin', { provider: 'powens', institutionId: bank.id });
    if (step.kind !== 'redirect') throw new Error(`expected a redirect, got ${step.kind}`);
    const auth = new URL(step.url);
    const back = new URL(await browse(step.url, { username: 'demo', password: 'demo1234' },
      (u) => { const x = new URL(u); return x.hostname === '127.0.0.1' && x.pathname === '/callback' && x.origin !== auth.origin; }));
    expect(back.searchParams.get('state')).toBeTruthy();
    back.searchParams.set('state', 'null');
    return { step, back: back.toString() };
  }

  it('completes the one waiting link; a forged one before it changes nothing', async () => {
    const { step, back } = await callbackWithoutState();
    const forged = new URL(back);
    forged.searchParams.set('id_connection', '999999');
    expect(await world.service.handleRedirect(forged.toString())).toBe(false);
    expect(await world.service.handleRedirect(`${new URL(back).origin}/callback?state=null`)).toBe(false);
    expect((await world.service.call('link.poll', { linkId: step.linkId })).kind).toBe('redirect');
    expect(await world.service.handleRedirect(back)).toBe(true);
    await vi.waitFor(async () => expect((await world.service.call('link.poll', { linkId: step.linkId })).kind).toBe('done'), { timeout: 20_000, interval: 50 });
  });

  it('is refused while two links wait, and nothing changes', async () => {
    const first = await callbackWithoutState();
    const second = await callbackWithoutState();
    expect(await world.service.handleRedirect(first.back)).toBe(false);
    expect((await world.service.call('link.poll', { linkId: first.step.linkId })).kind).toBe('redirect');
    expect((await world.service.call('link.poll', { linkId: second.step.linkId })).kind).toBe('redirect');
  });
});
