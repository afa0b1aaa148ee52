import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY, isAllowedExternalUrl, isAppUrl, isTrustedSenderFrame, mimeType, resolveAppPath,
} from '../../../main/electron/policy.js';
import { createAppProtocolHandler } from '../../../main/electron/protocol.js';

describe('CSP', () => {
  it('forbids the network, inline scripts, plugins and framing', () => {
    const d = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((p) => p.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(d['default-src']).toBe("'none'");
    expect(d['script-src']).toBe("'self'");
    expect(d['connect-src']).toBe("'none'");
    expect(d['object-src']).toBe("'none'");
    expect(d['frame-ancestors']).toBe("'none'");
    expect(d['base-uri']).toBe("'none'");
    expect(d['form-action']).toBe("'none'");
    expect(d['frame-src']).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(d['script-src']).not.toMatch(/unsafe-inline|data:|http/);
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows https anywhere and http only to this machine', () => {
    for (const u of ['https://bank.example/authorize?client_id=x&state=y', 'https://webview.powens.com/connect', 'http://127.0.0.1:4010/consent', 'http://localhost:3000/x', 'http://[::1]:99/'])
      expect(isAllowedExternalUrl(u), u).toBe(true);
  });
  it('refuses every other scheme, credentials, junk', () => {
    for (const u of ['http://bank.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,hi', 'smb://host/share', 'ms-settings:',
      'app://multibank/index.html', 'multibank://oauth/callback?code=1&state=2', 'https://user:pw@bank.example/', 'https://', 'not a url', '',
      ' https://bank.example', 'https://bank.example/\nx', 'https://x.example/' + 'a'.repeat(9000), null, 42, undefined])
      expect(isAllowedExternalUrl(u), String(u)).toBe(false);
  });
});

describe('sender check', () => {
  it('trusts only a top frame on app://multibank', () => {
    expect(isAppUrl('app://multibank/index.html')).toBe(true);
    expect(isAppUrl('app://multibank/')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('https://multibank/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('app://x@multibank/')).toBe(false);
    expect(isTrustedSenderFrame({ url: 'app://multibank/index.html#/accounts', parent: null })).toBe(true);
    expect(isTrustedSenderFrame({ url: 'app://multibank/index.html', parent: {} })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'https://bank.example/', parent: null })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'about:blank', parent: null })).toBe(false);
    expect(isTrustedSenderFrame(null)).toBe(false);
    expect(isTrustedSenderFrame(undefined)).toBe(false);
  });
});

describe('app:// protocol', () => {
  let base: string;
  let root: string;
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'mb-proto-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
    writeFileSync(join(base, 'secret.txt'), 'TOP SECRET');
    writeFileSync(join(base, 'renderer-evil.txt'), 'SIBLING');
    symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('resolves files, the index and client-side routes', () => {
    expect(resolveAppPath(root, 'app://multibank/')).toEqual({ ok: true, file: join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://multibank/index.html')).toEqual({ ok: true, file: join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://multibank/assets/app.js?v=3#x')).toEqual({ ok: true, file: join(root, 'assets', 'app.js') });
    expect(resolveAppPath(root, 'app://multibank/accounts/12')).toEqual({ ok: true, file: join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://multibank/assets/missing.js')).toEqual({ ok: false, status: 404 });
  });

  it('refuses path traversal in every spelling, other hosts and symlinks out of the root', () => {
    const refused = [
      'app://multibank/..%2fsecret.txt', 'app://multibank/%2e%2e/secret.txt', 'app://multibank/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://multibank/..%5csecret.txt', 'app://multibank/assets/..%2F..%2Fsecret.txt', 'app://multibank/%00index.html',
      'app://multibank/%E0%A4%A', 'app://evil/index.html', 'https://multibank/index.html', 'app://multibank/assets/link.txt',
      'app://multibank/..%2frenderer-evil.txt', 'nonsense',
    ];
    for (const u of refused) {
      const r = resolveAppPath(root, u);
      expect(r.ok, u).toBe(false);
    }
    // URL-level dot segments are normalised by the URL parser and stay inside the root
    const r = resolveAppPath(root, 'app://multibank/../../secret.txt');
    expect(r.ok).toBe(false);
  });

  it('serves files with the CSP and security headers, and refuses the rest', async () => {
    const handler = createAppProtocolHandler(root);
    const ok = await handler(new Request('app://multibank/assets/app.js'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toBe('console.log(1)');
    const index = await handler(new Request('app://multibank/'));
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("connect-src 'none'");
    const traversal = await handler(new Request('app://multibank/..%2fsecret.txt'));
    expect(traversal.status).toBe(403);
    expect(await traversal.text()).not.toContain('TOP SECRET');
    expect(traversal.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect((await handler(new Request('app://multibank/assets/link.txt'))).status).toBe(403);
    expect((await handler(new Request('app://multibank/nope.png'))).status).toBe(404);
    expect((await handler(new Request('app://multibank/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect(mimeType('a.woff2')).toBe('font/woff2');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
});
