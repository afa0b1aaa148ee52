// A tiny "person with a browser" for the sandbox's bank pages: follows redirects, keeps cookies, fills the shared
// page forms (login, one-time code shown on the page, account choice, consent, bank choice) and submits them,
// until the browser lands on the app's redirect address. Plain HTTP; the e2e suite does the same with Chromium.

export interface Person { username: string; password: string; /** which button to press on a consent page */ decision?: 'approve' | 'deny' }

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag);
  return m ? m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>') : undefined;
};

/** Walk from the authorization URL until a redirect to `isAppRedirect(url)`; returns that URL (not fetched). */
export async function browse(startUrl: string, person: Person, isAppRedirect: (url: string) => boolean, maxSteps = 30): Promise<string> {
  const cookies = new Map<string, string>();
  let url = startUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let step = 0; step < maxSteps; step++) {
    if (isAppRedirect(url)) return url;
    const res = await fetch(url, {
      method, body, redirect: 'manual',
      headers: { ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) { const [kv] = c.split(';'); const i = kv.indexOf('='); cookies.set(kv.slice(0, i).trim(), kv.slice(i + 1)); }
    method = 'GET'; body = undefined;
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).toString();
      continue;
    }
    const html = await res.text();
    const formTag = /<form\b[^>]*>/i.exec(html)?.[0];
    if (!formTag) {
      const link = /<a\b[^>]*id="(?:continue|back)"[^>]*>/i.exec(html)?.[0] ?? /<meta[^>]+http-equiv="refresh"[^>]*>/i.exec(html)?.[0];
      const href = link && (attr(link, 'href') ?? attr(link, 'content')?.replace(/^\d+;\s*url=/i, ''));
      if (!href) throw new Error(`The bank page at ${url} (HTTP ${res.status}) has no form and no way on: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
      url = new URL(href, url).toString();
      continue;
    }
    const formHtml = html.slice(html.indexOf(formTag), html.indexOf('</form>', html.indexOf(formTag)));
    const fields = new URLSearchParams();
    for (const input of formHtml.match(/<input\b[^>]*>/gi) ?? []) {
      const name = attr(input, 'name'); const type = (attr(input, 'type') ?? 'text').toLowerCase();
      if (!name) continue;
      if (type === 'checkbox' || type === 'radio') { if (/\bchecked\b/i.test(input)) fields.append(name, attr(input, 'value') ?? 'on'); continue; }
      if (type === 'hidden') { fields.append(name, attr(input, 'value') ?? ''); continue; }
      if (/user|login|email/i.test(name)) fields.append(name, person.username);
      else if (/pass|pin/i.test(name)) fields.append(name, person.password);
      else if (/otp|code|tan/i.test(name)) fields.append(name, /Demo code:\s*<strong><code>([^<]+)</i.exec(html)?.[1] ?? '123456');
      else fields.append(name, attr(input, 'value') ?? '');
    }
    const buttons = (formHtml.match(/<button\b[^>]*>/gi) ?? []).filter((b) => !/formnovalidate/i.test(b));
    const wanted = buttons.find((b) => attr(b, 'value') === (person.decision ?? 'approve')) ?? buttons[0];
    if (wanted && attr(wanted, 'name')) fields.append(attr(wanted, 'name')!, attr(wanted, 'value') ?? '');
    const action = attr(formTag, 'action');
    url = new URL(action || url, url).toString();
    method = (attr(formTag, 'method') ?? 'GET').toUpperCase();
    if (method === 'POST') body = fields.toString();
    else { const u = new URL(url); for (const [k, v] of fields) u.searchParams.append(k, v); url = u.toString(); }
  }
  throw new Error(`No redirect back to the app after ${maxSteps} steps (last: ${url})`);
}
