// Pure helpers for multibank:// deep links. The OS hands them to the app through open-url (macOS), the second
// instance's argv (Windows, Linux) and the start-up argv; all three end in one entry point that calls
// service.handleRedirect(url). Only multibank://oauth/callback?... with a state is accepted; everything else is refused.

export const DEEP_LINK_SCHEME = 'multibank';
export const OAUTH_CALLBACK_URL = `${DEEP_LINK_SCHEME}://oauth/callback`;
const MAX_URL_LENGTH = 4096;
const MAX_PARAMS = 20;

export interface OAuthCallback {
  kind: 'oauth_callback';
  /** the URL as handed to service.handleRedirect (normalized) */
  url: string;
  params: Record<string, string>;
}

/** The first multibank:// argument in an argv list (second-instance / start-up), or null. */
export function findDeepLinkInArgv(argv: readonly unknown[]): string | null {
  for (const arg of argv) {
    if (typeof arg !== 'string') continue;
    const a = arg.trim();
    if (a.length <= MAX_URL_LENGTH && a.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) return a;
  }
  return null;
}

/** Parse and validate a deep link; null for anything that is not a well-formed OAuth callback. */
export function parseDeepLink(input: unknown): OAuthCallback | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > MAX_URL_LENGTH) return null;
  // control characters and whitespace have no place in a redirect URL
  if (/[\u0000-\u0020\u007f]/.test(input)) return null;
  let url: URL;
  try { url = new URL(input); } catch { return null; }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  if (url.username || url.password || url.port) return null;
  if (url.hostname.toLowerCase() !== 'oauth') return null;
  if (url.pathname !== '/callback' && url.pathname !== '/callback/') return null;
  if (url.hash && url.hash !== '#') return null;
  const params: Record<string, string> = {};
  let count = 0;
  for (const [k, v] of url.searchParams) {
    if (++count > MAX_PARAMS) return null;
    if (!/^[A-Za-z0-9_.\-]{1,64}$/.test(k)) return null;
    if (Object.hasOwn(params, k)) return null; // a repeated parameter is ambiguous: refuse
    params[k] = v;
  }
  if (!params.state || params.state.length > 512) return null;
  if (!params.code && !params.error && !Object.keys(params).some((k) => k !== 'state')) return null;
  return { kind: 'oauth_callback', url: `${OAUTH_CALLBACK_URL}${url.search}`, params };
}

/**
 * The one deep-link entry point: queues links that arrive before the service is ready, drops invalid ones,
 * and hands valid ones to the handler (service.handleRedirect). Never throws.
 */
export function createDeepLinkRouter(opts: { onInvalid?: (reason: string) => void; onError?: (e: unknown) => void } = {}) {
  let handler: ((url: string) => Promise<boolean>) | null = null;
  const pending: string[] = [];
  const run = async (url: string): Promise<boolean> => {
    try { return await handler!(url); } catch (e) { opts.onError?.(e); return false; }
  };
  return {
    /** deliver a URL from open-url, second-instance or argv; resolves to what the handler answered (false when queued or refused) */
    async deliver(raw: unknown): Promise<boolean> {
      const link = parseDeepLink(raw);
      if (!link) { opts.onInvalid?.('not a multibank OAuth callback'); return false; }
      if (!handler) { if (pending.length < 10) pending.push(link.url); return false; }
      return run(link.url);
    },
    /** set the handler once the service exists; queued links are delivered in order */
    async setHandler(h: (url: string) => Promise<boolean>): Promise<void> {
      handler = h;
      for (const url of pending.splice(0)) await run(url);
    },
  };
}
