// The Everifin and Banqware sign-in pages in real Chromium (Debian's), by role and label as a person or the e2e suite
// would use them, ending at a loopback callback. Skipped where /usr/bin/chromium is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
import { World } from '../../../../sandbox/core/world.js';
import { createLedger } from '../../../../sandbox/core/ledger.js';
import { serve, type RunningServer } from '../../../../sandbox/core/http.js';
import { DEMO_SCA_CODE } from '../../../../sandbox/core/pages.js';
import { createEverifinEmulator, EVERIFIN_DEFAULTS } from '../../../../sandbox/everifin/index.js';
import { createBanqwareEmulator, BANQWARE_DEFAULTS } from '../../../../sandbox/banqware/index.js';
import { createEverifinProvider } from '../../../../main/providers/everifin/index.js';
import { createBanqwareProvider } from '../../../../main/providers/banqware/index.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: Browser;
let everifin: RunningServer;
let banqware: RunningServer;
let callbacks: http.Server;
let callbackBase: string;
const world = new World(21);
const ledger = createLedger(world);

describe.skipIf(!existsSync(CHROMIUM))('sign-in pages in Chromium', () => {
  beforeAll(async () => {
    everifin = await serve(createEverifinEmulator(world, ledger), world);
    banqware = await serve(createBanqwareEmulator(world, ledger, { firstUpdateMs: 200 }), world);
    callbacks = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Multibank</title><p>You can return to Multibank.</p>'));
    await new Promise<void>((r) => callbacks.listen(0, '127.0.0.1', r));
    callbackBase = `http://127.0.0.1:${(callbacks.address() as AddressInfo).port}/callback`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
  }, 60_000);
  afterAll(async () => { await browser?.close(); await everifin?.close(); await banqware?.close(); callbacks?.close(); });

  it('Everifin: "Sign in to Everifin" → Allow → back at the loopback callback, and the code is accepted', async () => {
    const provider = createEverifinProvider({ provider: 'everifin', baseUrl: everifin.url, clientId: EVERIFIN_DEFAULTS.clientId, clientSecret: EVERIFIN_DEFAULTS.clientSecret, options: {} }, { now: () => world.clock.now() });
    const step = await provider.beginLink({ redirectUri: callbackBase, state: 'pw-state' });
    if (step.kind !== 'redirect') throw new Error('redirect expected');
    const page = await browser.newPage();
    await page.goto(step.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in to Everifin' }).isVisible()).toBe(true);
    await page.getByLabel('Username or email').fill('demo');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Invalid username or password');
    await page.getByLabel('Password').fill('demo1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.href.startsWith(callbackBase));
    const back = page.url();
    expect(new URL(back).searchParams.get('state')).toBe('pw-state');
    const done = await provider.completeLink(step.pending, { kind: 'callback', url: back });
    expect(done.kind === 'done' && done.connection.remote.userId).toBe('demo');
    await page.close();
  });

  it('Banqware: bank login → one-time code → accounts → Approve → back at the loopback callback with the consent given', async () => {
    const provider = createBanqwareProvider({ provider: 'banqware', baseUrl: banqware.url, clientId: BANQWARE_DEFAULTS.clientId, clientSecret: BANQWARE_DEFAULTS.clientSecret, options: {} }, { now: () => world.clock.now() });
    const step = await provider.beginLink({ institutionId: 'pl-polski', redirectUri: callbackBase, state: 'pw-bq' });
    if (step.kind !== 'redirect') throw new Error('redirect expected');
    const page = await browser.newPage();
    await page.goto(step.url);
    await page.getByLabel('Username').fill('demo');
    await page.getByLabel('Password').fill('demo1234');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('One-time code').fill(DEMO_SCA_CODE);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL((u) => u.href.startsWith(callbackBase));
    const back = new URL(page.url());
    // Banqware returns to exactly the registered URL: no state of ours on it; the consent at Banqware decides
    expect(back.searchParams.has('state')).toBe(false);
    const done = await provider.completeLink(step.pending, { kind: 'callback', url: back.href });
    expect(done.kind === 'done' && done.connection.consent.state).toBe('active');
    await page.close();
  });
});
