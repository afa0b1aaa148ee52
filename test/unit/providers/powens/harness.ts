// Shared set-up for the Powens tests: the real emulator on a random port over the real Ledger, the real client,
// and a tiny "browser" that walks the emulator's bank pages over HTTP (no fetch mocks anywhere).
import { createLedger, type DemoLogin } from '../../../../sandbox/core/bank.js';
import { serve } from '../../../../sandbox/core/http.js';
import { World } from '../../../../sandbox/core/world.js';
import { createPowensEmulator, POWENS_CLIENT_ID, POWENS_CLIENT_SECRET, type PowensEmulatorOptions } from '../../../../sandbox/powens/index.js';
import { demoConnectors, type DemoConnectorDef } from '../../../../sandbox/powens/shapes.js';
import { PowensProvider } from '../../../../main/providers/powens/index.js';
import type { ConnectionContext, LinkedConnection, LinkStep } from '../../../../main/providers/provider.js';

export const REDIRECT = 'multibank://oauth/callback';

export async function startPowens(opts: { emulator?: PowensEmulatorOptions; fetch?: typeof fetch; seed?: number } = {}) {
  const world = new World(opts.seed ?? 42);
  world.clock.set('2026-11-20T10:00:00Z');
  const ledger = createLedger(world, { months: 6 });
  const emulator = createPowensEmulator(world, ledger, opts.emulator);
  const server = await serve(emulator, world);
  // the emulated API domain's end-to-end encryption key, as a user pastes it from the Powens console
  const options: Record<string, string> = { credentialsKey: String((emulator.describe!('') as { options: Record<string, unknown> }).options.credentialsKey) };
  const config = { provider: 'powens' as const, baseUrl: server.url, clientId: POWENS_CLIENT_ID, clientSecret: POWENS_CLIENT_SECRET, options };
  const provider = new PowensProvider(config, { now: () => world.clock.now(), fetch: opts.fetch });
  const connectors = demoConnectors(ledger.banks());
  const loginOf = (c: DemoConnectorDef): DemoLogin => {
    const l = ledger.logins().find((x) => x.bankId === c.bank.id && ledger.accounts({ bankId: c.bank.id, username: x.username }).length > 0);
    if (!l) throw new Error(`no demo login for ${c.name}`);
    return l;
  };
  const control = (action: string, body: unknown = {}) => emulator.control![action](body) as any;
  return {
    world, ledger, emulator, server, provider, config, connectors, loginOf, control,
    /** the demo connectors: [0] webauth + credentials sources, [1] credentials with SCA every 3rd sync, [2] webauth, consent ends soon */
    webauthBank: connectors[0], scaBank: connectors[1], expiringBank: connectors[2],
    close: () => server.close(),
  };
}

/** What a provider method gets for a stored connection; saveSecrets keeps the rotated token like the vault would. */
export function contextFor(linked: LinkedConnection): ConnectionContext & { saved: Array<Record<string, string>> } {
  const ctx = {
    connectionId: 1,
    remote: { ...linked.remote },
    secrets: { ...linked.secrets },
    saved: [] as Array<Record<string, string>>,
    saveSecrets(s: Record<string, string>) { ctx.secrets = { ...s }; ctx.saved.push({ ...s }); },
  };
  return ctx;
}

async function page(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}
const pageId = (html: string) => /data-page="([^"]+)"/.exec(html)?.[1] ?? null;
const post = (url: string, form: Record<string, string>) =>
  page(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

export interface BrowserChoice {
  username: string;
  password: string;
  /** at the consent page (new access): approve (default) or deny; at any page: cancel */
  decision?: 'approve' | 'deny' | 'cancel';
  otp?: string;
}

/** Walk /webauth like a person would: log in, then approve (new access) or enter the code (reconnect). Returns the callback URL. */
export async function browse(url: string, who: BrowserChoice): Promise<string> {
  const start = await page(url);
  if (start.status !== 302 || !start.location) throw new Error(`webauth did not redirect: ${start.status} ${start.text.slice(0, 200)}`);
  const bankUrl = start.location;
  const first = await page(bankUrl);
  if (pageId(first.text) !== 'login') throw new Error(`expected the login page, got ${pageId(first.text)}`);
  if (who.decision === 'cancel') return (await post(bankUrl, { decision: 'cancel' })).location!;
  const afterLogin = await post(bankUrl, { username: who.username, password: who.password, decision: 'submit' });
  if (afterLogin.status === 302) return afterLogin.location!;
  const id = pageId(afterLogin.text);
  if (id === 'login') throw new Error(`login refused: ${/role="alert">([^<]*)/.exec(afterLogin.text)?.[1]}`);
  if (id === 'consent') return (await post(bankUrl, { decision: who.decision ?? 'approve' })).location!;
  if (id === 'sca') {
    const done = await post(bankUrl, { otp: who.otp ?? '123456', decision: 'submit' });
    if (done.status !== 302) throw new Error(`SCA refused: ${/role="alert">([^<]*)/.exec(done.text)?.[1]}`);
    return done.location!;
  }
  throw new Error(`unexpected bank page ${id}`);
}

/** Drive a link to its end: redirects through the browser, optional secondary sources skipped unless `secondary` is given. */
export async function drive(
  provider: PowensProvider, step: LinkStep, who: BrowserChoice,
  opts: { secondary?: Record<string, string>; form?: Record<string, string> } = {},
): Promise<LinkedConnection> {
  for (let i = 0; i < 8; i++) {
    if (step.kind === 'done') return step.connection;
    if (step.kind === 'redirect') step = await provider.completeLink(step.pending, { kind: 'callback', url: await browse(step.url, who) });
    else if (step.kind === 'form') {
      const optional = step.skippable === true;
      const values = optional ? (opts.secondary ?? Object.fromEntries(step.fields.map((f) => [f.name, '']))) : (opts.form ?? { login: who.username, password: who.password });
      step = await provider.completeLink(step.pending, { kind: 'form', values });
    } else step = await provider.completeLink(step.pending, { kind: 'poll' });
  }
  throw new Error('link did not finish');
}
