// The Web Form 2.0 pages a person (or Playwright) goes through: bank search, bank login, SCA, account choice.
// Plain HTML, labelled inputs, real buttons, no JavaScript. Every step posts back to /wf/{id}/<step>.
import type { DemoAccount, DemoBank } from '../core/bank.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, body: string, wfId: string, cancellable = true): string {
  const cancel = cancellable
    ? `<form method="post" action="/wf/${esc(wfId)}/cancel"><button type="submit" name="cancel" value="1">Cancel</button></form>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} – finAPI Web Form (sandbox)</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem}label{display:block;margin:.6rem 0 .2rem}
input[type=text],input[type=password],input[type=search]{width:100%;padding:.4rem}button{margin-top:.8rem;padding:.4rem 1rem}
.error{color:#a00;border:1px solid #a00;padding:.5rem}.hint{color:#555}ul{list-style:none;padding:0}</style></head>
<body><header><strong>finAPI</strong> Web Form <span class="hint">(sandbox emulator)</span></header><main><h1>${esc(title)}</h1>${body}</main>${cancel}</body></html>`;
}

const errorBox = (error?: string | null) => (error ? `<p class="error" role="alert">${esc(error)}</p>` : '');

export function bankSearchPage(wfId: string, search: string, banks: Array<{ id: number; bank: DemoBank }>): string {
  const results = search
    ? banks.length
      ? `<ul aria-label="Banks">${banks.map(({ id, bank }) => `<li><form method="post" action="/wf/${esc(wfId)}/bank"><input type="hidden" name="bankId" value="${id}">
<button type="submit" aria-label="Choose ${esc(bank.name)}">${esc(bank.name)}</button> <span class="hint">${esc(bank.bic)} · ${esc(bank.country)}</span></form></li>`).join('')}</ul>`
      : `<p role="status">No bank matches “${esc(search)}”.</p>`
    : '';
  return layout('Choose your bank', `<form method="get" action="/wf/${esc(wfId)}"><label for="search">Bank name, BIC or city</label>
<input type="search" id="search" name="search" value="${esc(search)}" autofocus><button type="submit">Search</button></form>${results}`, wfId);
}

export function loginPage(wfId: string, bankName: string, opts: { error?: string | null; username?: string | null; update?: boolean }): string {
  const intro = opts.update
    ? `<p>Your bank needs you to sign in again so that finAPI can keep updating your accounts.</p>`
    : `<p>Sign in with the online-banking login of ${esc(bankName)}.</p>`;
  return layout(`Sign in to ${bankName}`, `${intro}${errorBox(opts.error)}<form method="post" action="/wf/${esc(wfId)}/login">
<label for="username">Onlinebanking-ID</label><input type="text" id="username" name="username" autocomplete="username" value="${esc(opts.username ?? '')}" required>
<label for="password">PIN</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`, wfId);
}

export function scaPage(wfId: string, bankName: string, code: string, error?: string | null): string {
  return layout('Confirm it is you', `<p>${esc(bankName)} sent a one-time code to your device.</p>
<p class="hint">Sandbox: the code is <strong data-testid="sca-code">${esc(code)}</strong>.</p>${errorBox(error)}
<form method="post" action="/wf/${esc(wfId)}/sca"><label for="code">One-time code</label>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required><button type="submit">Confirm</button></form>`, wfId);
}

export function accountsPage(wfId: string, accounts: DemoAccount[], error?: string | null): string {
  return layout('Choose accounts', `<p>Which accounts may finAPI read?</p>${errorBox(error)}<form method="post" action="/wf/${esc(wfId)}/accounts">
<ul>${accounts.map((a) => `<li><input type="checkbox" id="acc-${esc(a.id)}" name="account" value="${esc(a.id)}" checked>
<label for="acc-${esc(a.id)}" style="display:inline">${esc(a.name)} · ${esc(a.iban)} · ${esc(a.currency)}</label></li>`).join('')}</ul>
<button type="submit">Allow access</button></form>`, wfId);
}

export function finalPage(wfId: string, status: string, message: string): string {
  return layout(status === 'COMPLETED' ? 'Done' : 'Not completed', `<p role="status" data-status="${esc(status)}">${esc(message)}</p>
<p>You can close this window and return to the app.</p>`, wfId, false);
}
