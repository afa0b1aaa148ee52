// The bank's own pages a person (or Playwright) meets while linking: login, SCA, account choice, consent, errors.
// Plain HTML forms, labelled inputs and real buttons, no JavaScript. Each page posts back to the emulator's own
// route (`action`), carrying the emulator's state in hidden fields. Every page has a Cancel button
// (name="decision" value="cancel"); the consent page has Approve/Deny (value="approve" / "deny").
//
// Field names the emulators read back (form-urlencoded):
//   login:   username, password
//   sca:     otp
//   account: accounts (one per checked box; read them with `formValues(req, 'accounts')`)
//   bank:    bankId
//   every:   decision = submit | approve | deny | cancel, plus the hidden fields you passed in
import type { SandboxRequest } from './http.js';

/** The one-time code every demo bank accepts; the SCA page shows it. */
export const DEMO_SCA_CODE = '123456';
/** How long an SCA step stays valid before `scaExpired` says so. */
export const SCA_TIMEOUT_MS = 5 * 60_000;

export const PAGE_ERRORS = {
  wrongPassword: 'The username or password is not correct. Please try again.',
  wrongCode: 'The one-time code is not correct. Please try again.',
  scaTimeout: 'The confirmation took too long and has expired. Please start again.',
  cancelled: 'You cancelled the connection. Nothing was shared.',
  denied: 'You refused access. Nothing was shared.',
  noAccounts: 'Choose at least one account.',
} as const;

export type Decision = 'submit' | 'approve' | 'deny' | 'cancel';

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Common {
  bankName: string;
  /** URL (or path) the form posts to */
  action: string;
  /** hidden fields posted back unchanged (the emulator's session/state) */
  hidden?: Record<string, string | number | undefined>;
  /** shown in a role="alert" box above the form */
  error?: string;
  /** aggregator or app brand shown in the header, e.g. "via Powens" */
  via?: string;
  /** HTML <title> and main heading, defaults per page */
  title?: string;
  /** show a Cancel button (default true) */
  cancel?: boolean;
}

function hiddenFields(h: Common['hidden']): string {
  return Object.entries(h ?? {}).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('\n      ');
}

function layout(c: Common, heading: string, body: string, pageId: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${esc(c.title ?? heading)} – ${esc(c.bankName)}</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #f3f5f8; color: #1c2430; margin: 0; }
    header { background: #123e6b; color: #fff; padding: 14px 24px; display: flex; justify-content: space-between; align-items: baseline; }
    header .bank { font-weight: 700; font-size: 1.2rem; } header .via { opacity: .8; font-size: .9rem; }
    main { max-width: 460px; margin: 32px auto; background: #fff; border-radius: 8px; padding: 24px 28px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
    h1 { font-size: 1.3rem; margin-top: 0; }
    label { display: block; margin: 14px 0 4px; font-weight: 600; }
    input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: 8px; font-size: 1rem; border: 1px solid #9aa6b2; border-radius: 4px; }
    .check { display: flex; gap: 8px; align-items: flex-start; margin: 10px 0; font-weight: 400; }
    .actions { margin-top: 22px; display: flex; gap: 10px; flex-wrap: wrap; }
    button { padding: 9px 18px; font-size: 1rem; border-radius: 4px; border: 1px solid #123e6b; cursor: pointer; }
    button.primary { background: #123e6b; color: #fff; } button.secondary { background: #fff; color: #123e6b; }
    .alert { background: #fdecea; border: 1px solid #e0a39b; color: #7a1c10; padding: 10px 12px; border-radius: 4px; margin-bottom: 12px; }
    .hint { background: #eef5ec; border: 1px solid #a8cfa0; padding: 8px 12px; border-radius: 4px; }
    ul.scopes { padding-left: 20px; } small { color: #5b6673; }
  </style>
</head>
<body data-page="${esc(pageId)}">
  <header><span class="bank">${esc(c.bankName)}</span>${c.via ? `<span class="via">${esc(c.via)}</span>` : ''}</header>
  <main>
    <h1>${esc(c.title ?? heading)}</h1>
    ${c.error ? `<div class="alert" role="alert">${esc(c.error)}</div>` : ''}
    ${body}
  </main>
</body>
</html>`;
}

function form(c: Common, inner: string, buttons: string, id: string): string {
  const cancel = c.cancel === false ? '' : `<button type="submit" name="decision" value="cancel" class="secondary" formnovalidate>Cancel</button>`;
  return `<form method="post" action="${esc(c.action)}" id="${esc(id)}">
      ${hiddenFields(c.hidden)}
      ${inner}
      <div class="actions">${buttons}${cancel}</div>
    </form>`;
}

/** Bank login: username + password. Wrong password → render again with `error: PAGE_ERRORS.wrongPassword`. */
export function loginPage(o: Common & { username?: string; demoLogins?: Array<{ username: string; password: string }> }): string {
  const demo = o.demoLogins?.length
    ? `<p class="hint" id="demo-logins">Demo login: ${o.demoLogins.map((l) => `<code>${esc(l.username)}</code> / <code>${esc(l.password)}</code>`).join(', ')}</p>` : '';
  return layout(o, 'Log in to your bank', `${demo}
    ${form(o, `<label for="username">Username</label>
      <input type="text" id="username" name="username" autocomplete="username" required value="${esc(o.username ?? '')}">
      <label for="password">Password</label>
      <input type="password" id="password" name="password" autocomplete="current-password" required>`,
    `<button type="submit" name="decision" value="submit" class="primary">Log in</button>`, 'login-form')}`, 'login');
}

/** SCA step: one-time code (the demo code is shown on the page). */
export function scaPage(o: Common & { code?: string; method?: 'sms' | 'app' | 'token'; phoneHint?: string }): string {
  const code = o.code ?? DEMO_SCA_CODE;
  const how = o.method === 'app' ? 'in your banking app' : o.method === 'token' ? 'on your token device' : `by SMS to ${esc(o.phoneHint ?? '+421 9** *** 123')}`;
  return layout(o, 'Confirm it is you', `<p>We sent a one-time code ${how}.</p>
    <p class="hint" id="demo-code">Demo code: <strong><code>${esc(code)}</code></strong></p>
    ${form(o, `<label for="otp">One-time code</label>
      <input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" required>`,
    `<button type="submit" name="decision" value="submit" class="primary">Confirm</button>`, 'sca-form')}`, 'sca');
}

export interface PageAccount { id: string; name: string; iban?: string; currency: string; checked?: boolean; balance?: string }

/** Account selection: one checkbox per account (name="accounts"). */
export function accountChoicePage(o: Common & { accounts: PageAccount[] }): string {
  const boxes = o.accounts.map((a, i) => `<label class="check" for="acc-${i}"><input type="checkbox" id="acc-${i}" name="accounts" value="${esc(a.id)}"${a.checked === false ? '' : ' checked'}>
        <span>${esc(a.name)} <small>${esc(a.iban ?? '')} · ${esc(a.currency)}${a.balance ? ' · ' + esc(a.balance) : ''}</small></span></label>`).join('\n      ');
  return layout(o, 'Choose the accounts to share', form(o, `<fieldset><legend>Accounts</legend>
      ${boxes}
      </fieldset>`, `<button type="submit" name="decision" value="submit" class="primary">Continue</button>`, 'accounts-form'), 'accounts');
}

/** Consent: what the app will see and for how long; Approve / Deny. */
export function consentPage(o: Common & { appName?: string; scopes?: string[]; validUntil?: string; accounts?: PageAccount[] }): string {
  const scopes = o.scopes ?? ['Account details and balances', 'Transaction history (up to 36 months)'];
  const accs = o.accounts?.length ? `<p>Accounts:</p><ul>${o.accounts.map((a) => `<li>${esc(a.name)} <small>${esc(a.iban ?? '')}</small></li>`).join('')}</ul>` : '';
  return layout(o, 'Give access to your accounts', form({ ...o, cancel: false }, `<p><strong>${esc(o.appName ?? 'Multibank')}</strong>${o.via ? ` ${esc(o.via)}` : ''} asks to read:</p>
      <ul class="scopes">${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
      ${accs}
      ${o.validUntil ? `<p>Access is valid until <time datetime="${esc(o.validUntil)}">${esc(o.validUntil.slice(0, 10))}</time>.</p>` : ''}`,
  `<button type="submit" name="decision" value="approve" class="primary">Approve</button>
      <button type="submit" name="decision" value="deny" class="secondary">Deny</button>`, 'consent-form'), 'consent');
}

/** Bank (institution) choice, for aggregators whose hosted flow starts with picking a bank. */
export function bankChoicePage(o: Common & { banks: Array<{ id: string; name: string; country?: string }> }): string {
  const radios = o.banks.map((b, i) => `<label class="check" for="bank-${i}"><input type="radio" id="bank-${i}" name="bankId" value="${esc(b.id)}"${i === 0 ? ' checked' : ''} required>
        <span>${esc(b.name)}${b.country ? ` <small>${esc(b.country)}</small>` : ''}</span></label>`).join('\n      ');
  return layout({ ...o, bankName: o.bankName || 'Choose your bank' }, 'Choose your bank', form(o, `<fieldset><legend>Banks</legend>
      ${radios}
      </fieldset>`, `<button type="submit" name="decision" value="submit" class="primary">Continue</button>`, 'bank-form'), 'bank-choice');
}

/** A final error page (cancelled, denied, SCA timeout...) with an optional link back to the app. */
export function errorPage(o: { bankName: string; title?: string; message: string; backUrl?: string; backLabel?: string; via?: string }): string {
  return layout({ bankName: o.bankName, action: '', via: o.via, title: o.title ?? 'Connection not completed' }, o.title ?? 'Connection not completed',
    `<div class="alert" role="alert">${esc(o.message)}</div>
    ${o.backUrl ? `<p><a id="back" href="${esc(o.backUrl)}">${esc(o.backLabel ?? 'Return to the app')}</a></p>` : ''}`, 'error');
}

// ---------------------------------------------------------------- reading the posts back

/** Every value of a (repeated) form field, e.g. the checked `accounts`. */
export function formValues(req: Pick<SandboxRequest, 'rawBody' | 'query'>, name: string): string[] {
  const fromBody = new URLSearchParams(req.rawBody ?? '').getAll(name);
  return fromBody.length ? fromBody : req.query.getAll(name);
}

/** Which button was pressed. A form submitted with Enter carries no decision: that is 'submit'. */
export function decision(req: Pick<SandboxRequest, 'body'>): Decision {
  const d = req.body?.decision;
  return d === 'approve' || d === 'deny' || d === 'cancel' ? d : 'submit';
}

/** True when an SCA step started at `startedAtMs` has timed out at the world's `nowMs`. */
export function scaExpired(startedAtMs: number, nowMs: number, timeoutMs = SCA_TIMEOUT_MS): boolean {
  return nowMs - startedAtMs > timeoutMs;
}

/** Append query parameters to a redirect URI (keeps its own query), e.g. code/state or error=access_denied. */
export function withParams(uri: string, params: Record<string, string | undefined>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}
