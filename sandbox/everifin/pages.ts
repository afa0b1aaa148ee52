// Everifin's own sign-in and consent pages (Everifin is not a bank: the user signs in to the Everifin account in which
// the banks are already connected). Plain HTML, labelled inputs and real buttons, usable by a person and by Playwright.
export function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const layout = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;background:#f3f6f9;margin:0}main{max-width:420px;margin:48px auto;background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;color:#0b5cad}label{display:block;margin:12px 0 4px}input[type=text],input[type=password]{width:100%;padding:8px;box-sizing:border-box}
button{margin:16px 8px 0 0;padding:8px 16px}.error{color:#b00020}.brand{font-weight:700;color:#0b5cad;letter-spacing:.05em}</style></head>
<body><main><div class="brand">EVERIFIN · sandbox</div>${body}</main></body></html>`;

export function everifinLoginPage(o: { action: string; error?: string; username?: string; demoLogins?: Array<{ username: string; password: string }> }): string {
  // named as the demo banks' own pages name theirs (sandbox/core/pages.ts loginPage)
  const demo = o.demoLogins?.length
    ? `<p class="hint" id="demo-logins">Demo login: ${o.demoLogins.map((l) => `<code>${escape(l.username)}</code> / <code>${escape(l.password)}</code>`).join(', ')}</p>` : '';
  return layout('Sign in to Everifin', `<h1>Sign in to Everifin</h1>
${demo}
${o.error ? `<p class="error" role="alert">${escape(o.error)}</p>` : ''}
<form method="post" action="${escape(o.action)}">
<label for="username">Username or email</label><input id="username" name="username" type="text" autocomplete="username" value="${escape(o.username ?? '')}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" name="login" value="1">Sign in</button>
</form>
<form method="post" action="${escape(o.action)}"><button type="submit" name="cancel" value="1" formnovalidate>Cancel</button></form>`);
}

export function everifinConsentPage(o: { action: string; clientId: string; scope: string; user: string }): string {
  const scopes = o.scope.split(' ').filter((s) => s === 'ais' || s === 'pis');
  const words: Record<string, string> = { ais: 'Read your connected bank accounts, balances and transactions', pis: 'Initiate payments' };
  return layout('Grant access', `<h1>Grant access to ${escape(o.clientId)}</h1>
<p>Signed in as <strong>${escape(o.user)}</strong>. The application asks to:</p>
<ul>${(scopes.length ? scopes : ['ais']).map((s) => `<li>${escape(words[s] ?? s)}</li>`).join('')}</ul>
<form method="post" action="${escape(o.action)}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`);
}
