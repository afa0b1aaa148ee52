// Pure security decisions for the Electron glue (no electron import): the CSP, the external-URL policy, the app://
// origin and sender check, and path resolution for the app:// protocol. Tested in plain Node.
import { realpathSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'multibank';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** The packaged renderer's Content-Security-Policy: no network at all, scripts only from the app itself. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // React and the chart library set inline style attributes; no inline <script> is ever allowed
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "object-src 'none'",
  "media-src 'none'",
  "frame-src 'none'",
  "child-src 'none'",
  "worker-src 'none'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every app:// response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()',
  'Cache-Control': 'no-cache',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * May this URL be handed to the system browser (shell.openExternal)? https anywhere; http only to this machine
 * (the demo sandboxes' consent pages run on 127.0.0.1). No other scheme (file:, javascript:, smb:, custom handlers),
 * no credentials in the URL, nothing absurdly long.
 */
export function isAllowedExternalUrl(raw: unknown): boolean {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 8192) return false;
  if (/[\u0000-\u0020\u007f]/.test(raw)) return false;
  let url: URL;
  try { url = new URL(raw); } catch { return false; }
  if (url.username || url.password) return false;
  if (!url.hostname) return false;
  if (url.protocol === 'https:') return true;
  if (url.protocol === 'http:') return LOOPBACK_HOSTS.has(url.hostname.toLowerCase());
  return false;
}

/** Is this URL a page of the app itself (app://multibank/...)? */
export function isAppUrl(raw: unknown): boolean {
  if (typeof raw !== 'string') return false;
  let url: URL;
  try { url = new URL(raw); } catch { return false; }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && !url.username && !url.password;
}

/** The IPC sender check: a top-level frame showing an app:// page. */
export function isTrustedSenderFrame(frame: { url?: unknown; parent?: unknown } | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  return isAppUrl(frame.url);
}

export type AppPathResult = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * Map an app:// request URL to a file under rootDir. Refuses other hosts, encoded traversal (%2e%2e, %2f, %5c),
 * NUL bytes, and anything (including symlinks) that resolves outside rootDir. '/' and extension-less
 * unknown paths (client-side routes) serve index.html.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): AppPathResult {
  let url: URL;
  try { url = new URL(requestUrl); } catch { return { ok: false, status: 400 }; }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 403 };
  let path: string;
  try { path = decodeURIComponent(url.pathname); } catch { return { ok: false, status: 400 }; }
  if (path.includes('\0') || path.includes('\\')) return { ok: false, status: 400 };
  if (path.split('/').some((seg) => seg === '..')) return { ok: false, status: 403 };
  let root: string;
  try { root = realpathSync(resolve(rootDir)); } catch { return { ok: false, status: 404 }; }
  const inside = (p: string) => p === root || p.startsWith(root + sep);
  let file = resolve(root, '.' + (path.endsWith('/') ? path + 'index.html' : path));
  if (!inside(file)) return { ok: false, status: 403 };
  let real: string | null = null;
  try { real = realpathSync(file); } catch { real = null; }
  if (real === null) {
    if (extname(path) !== '') return { ok: false, status: 404 };
    file = resolve(root, 'index.html'); // a client-side route
    try { real = realpathSync(file); } catch { return { ok: false, status: 404 }; }
  }
  if (!inside(real)) return { ok: false, status: 403 };
  try { if (!statSync(real).isFile()) return { ok: false, status: 404 }; } catch { return { ok: false, status: 404 }; }
  return { ok: true, file: real };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8', '.webmanifest': 'application/manifest+json',
};

export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
