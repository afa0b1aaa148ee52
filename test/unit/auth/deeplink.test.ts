import { describe, expect, it, vi } from 'vitest';
import { createDeepLinkRouter, findDeepLinkInArgv, parseDeepLink } from '../../../main/auth/deeplink.js';

describe('findDeepLinkInArgv', () => {
  it('finds the link among Electron and Chromium arguments', () => {
    expect(findDeepLinkInArgv(['/opt/Multibank/multibank', '--no-sandbox', 'multibank://oauth/callback?code=1&state=s'])).toBe('multibank://oauth/callback?code=1&state=s');
    expect(findDeepLinkInArgv(['C:\\Multibank.exe', '--allow-file-access-from-files', 'MULTIBANK://oauth/callback?state=s&code=c', 'x'])).toBe('MULTIBANK://oauth/callback?state=s&code=c');
    expect(findDeepLinkInArgv(['electron', '.', '--inspect'])).toBeNull();
    expect(findDeepLinkInArgv([])).toBeNull();
    expect(findDeepLinkInArgv([1, null, 'https://multibank://x'])).toBeNull();
  });
});

describe('parseDeepLink', () => {
  it('accepts OAuth callbacks with state and code or error', () => {
    expect(parseDeepLink('multibank://oauth/callback?code=abc&state=xyz')).toEqual({
      kind: 'oauth_callback', url: 'multibank://oauth/callback?code=abc&state=xyz', params: { code: 'abc', state: 'xyz' },
    });
    expect(parseDeepLink('MULTIBANK://OAUTH/callback?state=xyz&error=access_denied&error_description=No%20way')?.params)
      .toEqual({ state: 'xyz', error: 'access_denied', error_description: 'No way' });
    expect(parseDeepLink('multibank://oauth/callback/?state=xyz&connection_id=12')?.params).toEqual({ state: 'xyz', connection_id: '12' });
  });

  it('refuses everything else', () => {
    const bad = [
      undefined, null, 42, '', 'multibank://', 'multibank://oauth/callback', 'multibank://oauth/callback?code=abc',
      'multibank://oauth/callback?state=xyz', 'multibank://evil/callback?code=a&state=s', 'multibank://oauth/other?code=a&state=s',
      'multibank://oauth/callback/../x?code=a&state=s', 'multibank://user:pw@oauth/callback?code=a&state=s',
      'multibank://oauth:99/callback?code=a&state=s', 'https://oauth/callback?code=a&state=s', 'file:///etc/passwd',
      'javascript:alert(1)', 'multibank:oauth/callback?code=a&state=s', 'multibank://oauth/callback?code=a&state=s#frag',
      'multibank://oauth/callback?code=a&state=s&state=t', 'multibank://oauth/callback?code=a b&state=s',
      'multibank://oauth/callback?code=a&state=s\n', 'multibank://oauth/callback?co%00de=a&state=s',
      'multibank://oauth/callback?code=a&state=' + 'x'.repeat(600),
      'multibank://oauth/callback?state=s&code=' + 'x'.repeat(5000),
      'multibank://oauth/callback?state=s&' + Array.from({ length: 25 }, (_, i) => `p${i}=1`).join('&'),
    ];
    for (const input of bad) expect(parseDeepLink(input), String(input)).toBeNull();
  });
});

describe('createDeepLinkRouter', () => {
  it('queues links until the service is ready, then delivers them to one handler', async () => {
    const invalid = vi.fn();
    const router = createDeepLinkRouter({ onInvalid: invalid });
    expect(await router.deliver('multibank://oauth/callback?code=1&state=a')).toBe(false);
    expect(await router.deliver('https://evil.example/?state=a&code=1')).toBe(false);
    expect(invalid).toHaveBeenCalledTimes(1);
    const handler = vi.fn(async (url: string) => url.includes('state=a') || url.includes('state=b'));
    await router.setHandler(handler);
    expect(handler).toHaveBeenCalledWith('multibank://oauth/callback?code=1&state=a');
    expect(await router.deliver('multibank://oauth/callback?code=2&state=b')).toBe(true);
    expect(await router.deliver('multibank://oauth/callback?code=2&state=zzz')).toBe(false);
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('never throws when the handler fails', async () => {
    const onError = vi.fn();
    const router = createDeepLinkRouter({ onError });
    await router.setHandler(async () => { throw new Error('boom'); });
    expect(await router.deliver('multibank://oauth/callback?code=1&state=a')).toBe(false);
    expect(onError).toHaveBeenCalledOnce();
  });
});
