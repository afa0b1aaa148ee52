// A very small cookie-keeping "browser" for driving the emulators' HTML pages over real HTTP in unit tests
// (Playwright drives the same pages in the e2e suite). It follows redirects until the app's redirect URI.
export interface Page { url: string; status: number; html: string }

export class MiniBrowser {
  private jar = new Map<string, string>();
  constructor(private stopAt: (url: string) => boolean) {}

  private store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(c) || /max-age=0/i.test(c)) this.jar.delete(name); else this.jar.set(name, value);
    }
  }
  private cookieHeader(): string { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }

  /** GET or POST, following redirects; returns the final page, or `{redirect}` when a Location matched stopAt. */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Page | { redirect: string }> {
    let method = init.method ?? 'GET';
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hops = 0; hops < 20; hops++) {
      if (this.stopAt(url)) return { redirect: url };
      const headers: Record<string, string> = { cookie: this.cookieHeader(), accept: 'text/html' };
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const res = await fetch(url, { method, headers, body, redirect: 'manual' });
      this.store(res);
      const loc = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && loc) {
        url = new URL(loc, url).href;
        method = 'GET';
        body = undefined;
        continue;
      }
      return { url, status: res.status, html: await res.text() };
    }
    throw new Error('too many redirects');
  }

  /** Submit the page's form whose action contains `actionPart` with the given fields (and button). */
  async submit(page: Page, actionPart: string, fields: Record<string, string>): Promise<Page | { redirect: string }> {
    const forms = [...page.html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((f) => decode(f[1]).includes(actionPart));
    if (!form) throw new Error(`no form with action containing ${actionPart} in ${page.url}:\n${page.html.slice(0, 2000)}`);
    const hidden: Record<string, string> = {};
    for (const m of form[2].matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(m[0])?.[1];
      const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
      if (name) hidden[name] = decode(value);
    }
    return this.request(new URL(decode(form[1]), page.url).href, { method: 'POST', form: { ...hidden, ...fields } });
  }
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

export function isPage(p: Page | { redirect: string }): p is Page { return 'html' in p; }
