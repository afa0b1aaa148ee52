// Shared set-up for the Enable Banking tests: the real emulator on a random port over the real Ledger, the real client,
// and a tiny "browser" that walks the bank's pages over HTTP and ends on the HTTPS address the user would paste.
import { createLedger, type DemoLogin } from '../../../../sandbox/core/bank.js';
import { serve } from '../../../../sandbox/core/http.js';
import { World } from '../../../../sandbox/core/world.js';
import { createEnableBankingEmulator, ENABLEBANKING_DEMO_APP_ID, ENABLEBANKING_DEMO_PRIVATE_KEY, ENABLEBANKING_DEMO_REDIRECT } from '../../../../sandbox/enablebanking/index.js';
import { EnableBankingProvider } from '../../../../main/providers/enablebanking/index.js';
import type { ConnectionContext, LinkedConnection, LinkStep } from '../../../../main/providers/provider.js';

export async function startEnableBanking(opts: { fetch?: typeof fetch; seed?: number } = {}) {
  const world = new World(opts.seed ?? 42);
  world.clock.set('2026-11-20T10:00:00Z');
  const ledger = createLedger(world, { months: 6 });
  const emulator = createEnableBankingEmulator(world, ledger);
  const server = await serve(emulator, world);
  const config = {
    provider: 'enablebanking' as const, baseUrl: server.url, clientId: ENABLEBANKING_DEMO_APP_ID, clientSecret: ENABLEBANKING_DEMO_PRIVATE_KEY,
    options: { redirectUrl: ENABLEBANKING_DEMO_REDIRECT },
  };
  const provider = new EnableBankingProvider(config, { now: () => world.clock.now(), fetch: opts.fetch });
  const bank = ledger.banks()[0];
  const loginOf = (bankId = bank.id): DemoLogin => {
    const l = ledger.logins().find((x) => x.bankId === bankId && ledger.accounts({ bankId, username: x.username }).length > 0);
    if (!l) throw new Error(`no demo login for ${bankId}`);
    return l;
  };
  const control = (action: string, body: unknown = {}) => emulator.control![action](body) as any;
  return { world, ledger, emulator, server, provider, config, bank, institutionId: `${bank.country}:${bank.name}`, loginOf, control, close: () => server.close() };
}

export function contextFor(linked: LinkedConnection): ConnectionContext {
  const ctx: ConnectionContext = {
    connectionId: 1, remote: { ...linked.remote }, secrets: { ...linked.secrets },
    saveSecrets(s) { ctx.secrets = { ...s }; },
  };
  return ctx;
}

async function page(url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}
const post = (url: string, form: Record<string, string>) =>
  page(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

/** Walk the bank's pages like a person: log in, approve (or deny / cancel). Returns the address the browser ends on. */
export async function browse(url: string, who: { username: string; password: string; decision?: 'approve' | 'deny' | 'cancel' }): Promise<string> {
  const first = await page(url);
  if (!first.text.includes('data-page="login"')) throw new Error(`expected the login page, got ${first.status}`);
  if (who.decision === 'cancel') return (await post(url, { decision: 'cancel' })).location!;
  const consent = await post(url, { username: who.username, password: who.password, decision: 'submit' });
  if (!consent.text.includes('data-page="consent"')) throw new Error('login refused');
  const back = await post(url, { decision: who.decision ?? 'approve' });
  if (back.status !== 302 || !back.location) throw new Error(`the bank did not send the browser back: ${back.status}`);
  return back.location;
}

/** beginLink (or a renewal's step) -> the bank's pages -> the pasted address -> completeLink. */
export async function link(env: Awaited<ReturnType<typeof startEnableBanking>>, step?: LinkStep, state = 'state-1'): Promise<LinkedConnection> {
  step ??= await env.provider.beginLink({ institutionId: env.institutionId, redirectUri: '', state });
  if (step.kind !== 'redirect') throw new Error(`expected the browser step, got ${step.kind}`);
  const login = env.loginOf();
  const landed = await browse(step.url, login);
  const done = await env.provider.completeLink(step.pending, { kind: 'callback', url: landed });
  if (done.kind !== 'done') throw new Error(`expected done, got ${done.kind}`);
  return done.connection;
}
