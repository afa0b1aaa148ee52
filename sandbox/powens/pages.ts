// The "bank" page the emulator's /webauth redirects to: a person or Playwright signs in and allows access, or cancels.
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface WebauthPage {
  action: string;
  bankName: string;
  connectorName: string;
  purpose: string;
  username?: string;
  error?: string | null;
}

export function webauthPage(p: WebauthPage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(p.bankName)} – sign in (Powens sandbox)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font-family:system-ui,sans-serif;background:#f3f5f8;margin:0;display:flex;justify-content:center}
 main{background:#fff;margin:48px 16px;padding:32px;border-radius:12px;max-width:420px;width:100%;box-shadow:0 2px 12px #0002}
 label{display:block;margin:16px 0 4px;font-weight:600} input{width:100%;padding:8px;font-size:16px;box-sizing:border-box}
 .actions{display:flex;gap:12px;margin-top:24px} button{padding:10px 16px;font-size:16px;border-radius:6px;border:1px solid #0b5fa5;cursor:pointer}
 button[value=approve]{background:#0b5fa5;color:#fff} button[value=cancel]{background:#fff;color:#0b5fa5}
 [role=alert]{color:#a00;background:#fee;padding:8px;border-radius:6px} small{color:#555}
</style></head>
<body><main>
<h1>${esc(p.bankName)}</h1>
<p>Powens asks for access to your accounts on behalf of <strong>Multibank</strong> (${esc(p.connectorName)}).</p>
<p><small>${esc(p.purpose)}</small></p>
${p.error ? `<p role="alert">${esc(p.error)}</p>` : ''}
<form method="post" action="${esc(p.action)}">
 <label for="username">Username</label>
 <input id="username" name="username" autocomplete="username" value="${esc(p.username ?? '')}">
 <label for="password">Password</label>
 <input id="password" name="password" type="password" autocomplete="current-password">
 <div class="actions">
  <button type="submit" name="action" value="approve">Allow access</button>
  <button type="submit" name="action" value="cancel">Cancel</button>
 </div>
</form>
</main></body></html>`;
}

export function messagePage(title: string, message: string, status = 400): { status: number; body: string; headers: Record<string, string> } {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main><h1>${esc(title)}</h1><p role="alert">${esc(message)}</p></main></body></html>`,
  };
}
