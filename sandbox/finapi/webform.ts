// The Web Form 2.0 pages a person (or Playwright) goes through: bank search (here), then the sandbox's shared bank
// login, SCA and account-choice pages (sandbox/core/pages.ts). Every step posts back to /wf/{id}/<step>;
// the shared pages' Cancel button posts decision=cancel to the same route.
import type { DemoAccount, DemoBank } from '../core/bank.js';
import * as shared from '../core/pages.js';

const { esc } = shared;

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


export function bankSearchPage(wfId: string, search: string, banks: Array<{ id: number; bank: DemoBank }>): string {
  const results = search
    ? banks.length
      ? `<ul aria-label="Banks">${banks.map(({ id, bank }) => `<li><form method="post" action="/wf/${esc(wfId)}/bank"><input type="hidden" name="bankId" value="${id}">
<button type="submit" aria-label="Choose ${esc(bank.name)}">${esc(bank.name)}</button> <span class="hint">${esc(bank.bic)} · ${esc(bank.country)}</span></form></li>`).join('')}</ul>`
      : `<p role="status">No bank matches “${esc(search)}”.</p>`
    : '';
  return layout('Choose your bank', `<form method="get" action="/wf/${esc(wfId)}"><label for="search">Bank name or BIC</label>
<input type="search" id="search" name="search" value="${esc(search)}" autofocus><button type="submit">Search</button></form>${results}`, wfId);
}

const VIA = 'via finAPI Web Form';

export function loginPage(wfId: string, bankName: string, opts: { error?: string | null; username?: string | null; update?: boolean; demoLogins?: Array<{ username: string; password: string }> }): string {
  return shared.loginPage({
    bankName, via: VIA, action: `/wf/${wfId}/login`, error: opts.error ?? undefined, username: opts.username ?? undefined, demoLogins: opts.demoLogins,
    title: opts.update ? `Sign in to ${bankName} again` : `Sign in to ${bankName}`,
  });
}

export function scaPage(wfId: string, bankName: string, code: string, error?: string | null): string {
  return shared.scaPage({ bankName, via: VIA, action: `/wf/${wfId}/sca`, code, method: 'app', error: error ?? undefined });
}

export function accountsPage(wfId: string, bankName: string, accounts: DemoAccount[], error?: string | null): string {
  return shared.accountChoicePage({
    bankName, via: VIA, action: `/wf/${wfId}/accounts`, error: error ?? undefined,
    accounts: accounts.map((a) => ({ id: a.id, name: a.name, iban: a.iban, currency: a.currency })),
  });
}

export function finalPage(wfId: string, status: string, message: string): string {
  return layout(status === 'COMPLETED' ? 'Done' : 'Not completed', `<p role="status" data-status="${esc(status)}">${esc(message)}</p>
<p>You can close this window and return to the app.</p>`, wfId, false);
}
