// Test harness: the finAPI emulator on a random port over the real demo Ledger, the real client, and a small
// "browser" that walks the web form pages with fetch (the way a person would with the labelled forms).
import { serve, type RunningServer } from '../../../../sandbox/core/http.js';
import { createLedger, type DemoLedger } from '../../../../sandbox/core/ledger.js';
import { World } from '../../../../sandbox/core/world.js';
import { createFinapiEmulator } from '../../../../sandbox/finapi/index.js';
import { DEMO_CLIENT } from '../../../../sandbox/finapi/state.js';
import type { Emulator } from '../../../../sandbox/core/http.js';
import { createFinapiProvider, type FinapiDeps, type FinapiProvider } from '../../../../main/providers/finapi/index.js';
import type { ConnectionContext, LinkStep, LinkedConnection } from '../../../../main/providers/provider.js';

export const REDIRECT = 'http://127.0.0.1:53123/callback';

export interface Env {
  world: World;
  ledger: DemoLedger;
  emulator: Emulator;
  server: RunningServer;
  url: string;
  provider: FinapiProvider;
  make(deps?: FinapiDeps, options?: Record<string, string>): FinapiProvider;
  control(action: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export async function startFinapi(opts: { seed?: number; options?: Record<string, string>; deps?: FinapiDeps } = {}): Promise<Env> {
  const world = new World(opts.seed ?? 7);
  const ledger = createLedger(world);
  const emulator = createFinapiEmulator(world, ledger);
  const server = await serve(emulator, world);
  await emulator.control!.updateDuration({ ms: 60 });
  const make = (deps: FinapiDeps = {}, options: Record<string, string> = {}) => createFinapiProvider({
    provider: 'finapi', baseUrl: server.url, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret,
    options: { pollIntervalMs: '20', ...opts.options, ...options },
  }, { ...opts.deps, ...deps });
  return {
    world, ledger, emulator, server, url: server.url, provider: make(), make,
    control: async (action, body = {}) => emulator.control![action](body),
    close: () => server.close(),
  };
}

/** A bank login of the demo world with at least one account. */
export function someLogin(ledger: DemoLedger, skip = 0) {
  const logins = ledger.logins().filter((l) => ledger.accounts({ bankId: l.bankId, username: l.username }).length > 0);
  return logins[skip % logins.length];
}

/** What the app's browser sees: fetch with manual redirects, following same-origin ones, stopping at the app's redirect. */
export class Browser {
  constructor(readonly redirectPrefix = REDIRECT) {}
  lastHtml = '';
  async go(url: string, init: RequestInit = {}): Promise<{ done: string } | { html: string; url: string }> {
    let current = url, req = init;
    for (let hop = 0; hop < 10; hop++) {
      const res = await fetch(current, { ...req, redirect: 'manual' });
      const loc = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && loc) {
        const next = new URL(loc, current).toString();
        if (next.startsWith(this.redirectPrefix) || !next.startsWith('http://127.0.0.1')) return { done: next };
        current = next; req = {};
        continue;
      }
      this.lastHtml = await res.text();
      return { html: this.lastHtml, url: current };
    }
    throw new Error('too many redirects');
  }
  post(url: string, fields: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
    return this.go(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  }
}

export interface WebFormScript {
  search?: string;
  bankName?: string;
  username: string;
  password: string;
  wrongPasswordFirst?: boolean;
  code?: string;
  accounts?: 'all' | 'first' | 'none';
  cancelAt?: 'login' | 'sca' | 'accounts' | 'bank';
}

/** Walk a web form from its URL to the app's redirect; returns the redirect URL (or the final page's HTML). */
export async function completeWebForm(url: string, s: WebFormScript, browser = new Browser()): Promise<string> {
  const origin = new URL(url).origin;
  const id = new URL(url).pathname.split('/').pop()!;
  const action = (step: string) => `${origin}/wf/${id}/${step}`;
  let r = await browser.go(url);
  const done = (x: typeof r) => ('done' in x ? x.done : null);
  if (done(r)) return done(r)!;
  let html = (r as { html: string }).html;
  if (html.includes('Choose your bank')) {
    if (s.cancelAt === 'bank') { r = await browser.post(action('cancel'), { cancel: '1' }); return done(r) ?? (r as { html: string }).html; }
    r = await browser.go(`${origin}/wf/${id}?search=${encodeURIComponent(s.search ?? '')}`);
    html = (r as { html: string }).html;
    const m = new RegExp(`name="bankId" value="(\\d+)">\\s*<button type="submit" aria-label="Choose ${escapeRe(s.bankName ?? '')}`).exec(html);
    if (!m) throw new Error(`bank not found in search results: ${html.slice(0, 400)}`);
    r = await browser.post(action('bank'), { bankId: m[1] });
    if (done(r)) return done(r)!;
    html = (r as { html: string }).html;
  }
  if (!html.includes('id="login-form"')) throw new Error(`expected the login page, got: ${html.slice(0, 300)}`);
  if (s.cancelAt === 'login') { r = await browser.post(action('login'), { decision: 'cancel' }); return done(r) ?? (r as { html: string }).html; }
  if (s.wrongPasswordFirst) {
    r = await browser.post(action('login'), { username: s.username, password: 'wrong-' + s.password, decision: 'submit' });
    if (done(r)) return done(r)!;
  }
  r = await browser.post(action('login'), { username: s.username, password: s.password, decision: 'submit' });
  if (done(r)) return done(r)!;
  html = (r as { html: string }).html;
  if (html.includes('data-status=')) return html;
  if (!html.includes('id="sca-form"')) throw new Error(`expected the SCA page, got: ${html.slice(0, 300)}`);
  const code = /Demo code: <strong><code>(\d+)<\/code>/.exec(html)?.[1];
  if (s.cancelAt === 'sca') { r = await browser.post(action('sca'), { decision: 'cancel' }); return done(r) ?? (r as { html: string }).html; }
  r = await browser.post(action('sca'), { otp: s.code ?? code!, decision: 'submit' });
  if (done(r)) return done(r)!;
  html = (r as { html: string }).html;
  if (html.includes('data-status=')) return html; // a final page (no redirect URL was given)
  if (!html.includes('id="accounts-form"')) throw new Error(`expected the accounts page, got: ${html.slice(0, 300)}`);
  if (s.cancelAt === 'accounts') { r = await browser.post(action('accounts'), { decision: 'cancel' }); return done(r) ?? (r as { html: string }).html; }
  const ids = [...html.matchAll(/name="accounts" value="([^"]+)"/g)].map((m) => m[1]);
  const chosen = s.accounts === 'none' ? [] : s.accounts === 'first' ? ids.slice(0, 1) : ids;
  r = await browser.post(action('accounts'), { accounts: chosen, decision: 'submit' });
  return done(r) ?? (r as { html: string }).html;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Poll completeLink until it is done (or throws). */
export async function finishLink(provider: FinapiProvider, step: LinkStep, input: { kind: 'callback'; url: string } | { kind: 'poll' }): Promise<LinkedConnection> {
  if (step.kind !== 'redirect' && step.kind !== 'wait') throw new Error(`unexpected step ${step.kind}`);
  let next = await provider.completeLink(step.pending, input);
  for (let i = 0; i < 200 && next.kind === 'wait'; i++) {
    await new Promise((r) => setTimeout(r, next.kind === 'wait' ? Math.min(next.pollAfterMs, 50) : 0));
    next = await provider.completeLink(next.pending, { kind: 'poll' });
  }
  if (next.kind !== 'done') throw new Error(`link did not finish: ${next.kind}`);
  return next.connection;
}

/** A ConnectionContext over a linked connection, recording saved secrets like the vault would. */
export function contextFor(linked: LinkedConnection, connectionId = 1): ConnectionContext & { saves: Array<Record<string, string>> } {
  const ctx = {
    connectionId,
    remote: { ...linked.remote },
    secrets: { ...linked.secrets },
    saves: [] as Array<Record<string, string>>,
    saveSecrets(s: Record<string, string>) { ctx.secrets = { ...s }; ctx.saves.push({ ...s }); },
  };
  return ctx;
}

/** Link one demo login end to end through the web form; returns the connection and its context. */
export async function link(env: Env, login = someLogin(env.ledger), provider = env.provider, state = 'state-1') {
  const bank = env.ledger.banks().find((b) => b.id === login.bankId)!;
  const banks = await provider.listInstitutions(bank.name);
  const inst = banks.find((b) => b.name === bank.name)!;
  const step = await provider.beginLink({ institutionId: inst.id, redirectUri: REDIRECT, state });
  if (step.kind !== 'redirect') throw new Error('expected a redirect');
  const back = await completeWebForm(step.url, { username: login.username, password: login.password });
  const linked = await finishLink(provider, step, { kind: 'callback', url: back });
  return { linked, ctx: contextFor(linked), login, bank, back, step };
}
