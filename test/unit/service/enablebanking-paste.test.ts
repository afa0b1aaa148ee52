// Enable Banking's way back from the browser through the service: the bank returns to the HTTPS page registered with
// the user's own application, and the user pastes its address (link.submit {url} at the redirect step, or the CLI's
// paste through handleRedirect). A paste of another sign-in or another site is refused and can be corrected.
import { describe, expect, it } from 'vitest';
import { demoWorld } from '../../reliability/world.js';
import { browse } from './bank-browser.js';

describe('Enable Banking: the pasted address finishes the link', () => {
  const world = demoWorld({ providers: ['enablebanking'], dir: 'eb-paste', cipherKey: '7c'.repeat(32), now: '2026-11-20T10:00:00Z', months: null });

  const begin = async () => {
    const [bank] = await world.service.call('institutions.list', { provider: 'enablebanking', query: '' });
    const step = await world.service.call('link.begin', { provider: 'enablebanking', institutionId: bank.id });
    if (step.kind !== 'redirect') throw new Error(step.kind);
    return step;
  };
  const landOn = (url: string) => browse(url, { username: 'demo', password: 'demo1234' }, (u) => u.startsWith('https:'));

  it('the redirect step asks for a paste; a wrong paste is refused and the right one links', async () => {
    const step = await begin();
    expect(step.paste).toBe(true);
    const landed = await landOn(step.url);
    expect(landed).toMatch(/^https:\/\/multibank\.example\/enablebanking\/callback\?.*code=/);
    const other = new URL(landed);
    other.searchParams.set('state', 'x'.repeat(43));
    await expect(world.service.call('link.submit', { linkId: step.linkId, values: { url: other.toString() } })).rejects.toMatchObject({ code: 'validation' });
    await expect(world.service.call('link.submit', { linkId: step.linkId, values: { url: 'my bank said ok' } })).rejects.toMatchObject({ code: 'validation' });
    const elsewhere = landed.replace('https://multibank.example', 'https://evil.example');
    await expect(world.service.call('link.submit', { linkId: step.linkId, values: { url: elsewhere } })).rejects.toMatchObject({ code: 'validation' });
    // still waiting at the browser step: the right address finishes it
    expect((await world.service.call('link.poll', { linkId: step.linkId })).kind).toBe('redirect');
    const done = await world.service.call('link.submit', { linkId: step.linkId, values: { url: landed } });
    expect(done.kind).toBe('done');
    if (done.kind === 'done') expect(done.accounts.length).toBeGreaterThan(0);
    // used once: the same address again belongs to no link
    expect(await world.service.handleRedirect(landed)).toBe(false);
  });

  it('a paste after the sign-in expired says so and ends the link', async () => {
    const step = await begin();
    const landed = await landOn(step.url);
    world.sandbox.world.clock.advance(60 * 60_000);
    await expect(world.service.call('link.submit', { linkId: step.linkId, values: { url: landed } })).rejects.toMatchObject({ code: 'link_expired' });
  });

  it('the CLI\'s paste goes through handleRedirect with the same checks', async () => {
    const step = await begin();
    const landed = await landOn(step.url);
    expect(await world.service.handleRedirect(landed.replace(/state=[^&]+/, 'state=unknown'))).toBe(false);
    expect(await world.service.handleRedirect(landed)).toBe(true);
    expect((await world.service.call('link.poll', { linkId: step.linkId })).kind).toBe('done');
  });
});
