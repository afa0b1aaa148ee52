import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, createLogger, isSensitiveKey, redact, redactString, registerSecret, REDACTED } from '../../../main/log/index.js';

afterEach(() => clearRegisteredSecrets());

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'debug') {
  const lines: string[] = [];
  const log = createLogger({ level, sink: (l) => lines.push(l), now: () => new Date('2026-01-02T03:04:05.000Z') });
  return { log, lines };
}

describe('redacting logger', () => {
  it('hides values of sensitive keys at any depth', () => {
    const input = {
      token: 'tok-1', access_token: 'at-2', refresh_token: 'rt-3', client_secret: 'cs-4', password: 'pw-5', code: 'c-6',
      Authorization: 'Bearer xyz', headers: { 'x-api-key': 'k-7', cookie: 'sid=8' }, userPassword: 'pw-9',
      nested: [{ clientSecret: 'cs-10', name: 'visible' }], count: 3,
    };
    const out = JSON.stringify(redact(input));
    for (const s of ['tok-1', 'at-2', 'rt-3', 'cs-4', 'pw-5', 'c-6', 'xyz', 'k-7', 'sid=8', 'pw-9', 'cs-10']) expect(out).not.toContain(s);
    expect(out).toContain('visible');
    expect(out).toContain('"count":3');
  });

  it('knows which keys are sensitive', () => {
    for (const k of ['token', 'access_token', 'refresh-token', 'client_secret', 'Authorization', 'code', 'password', 'finapiUserPassword', 'webhookSecret', 'idToken'])
      expect(isSensitiveKey(k), k).toBe(true);
    for (const k of ['name', 'errorCode', 'provider', 'connectionId', 'currency', 'amount', 'state'])
      expect(isSensitiveKey(k), k).toBe(false);
  });

  it('hides Bearer tokens, query parameters, form bodies and JSON inside strings', () => {
    const cases: Array<[string, string]> = [
      ['GET /x with Authorization: Bearer abc.def-ghi_jkl=', 'abc.def-ghi_jkl'],
      ['bearer eyJhbGciOi.eyJzdWIi.sig', 'eyJhbGciOi'],
      ['multibank://oauth/callback?code=SECRETCODE&state=s1', 'SECRETCODE'],
      ['https://bank.example/cb?state=x&access_token=AT999#frag', 'AT999'],
      ['grant_type=refresh_token&refresh_token=RT777&client_id=app', 'RT777'],
      ['body client_secret=CS555', 'CS555'],
      ['{"access_token":"AT123","token_type":"bearer"}', 'AT123'],
      ['{"clientSecret": "CS\\"quoted"}', 'CS\\"quoted'],
      ['Cookie: session=abcdef; other=1', 'session=abcdef'],
      ['basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
    ];
    for (const [text, secret] of cases) {
      const out = redactString(text);
      expect(out, text).not.toContain(secret);
      expect(out, text).toContain(REDACTED);
    }
    expect(redactString('state=s1&client_id=app')).toBe('state=s1&client_id=app');
    expect(redactString('Sync finished: 12 new, 0 updated')).toBe('Sync finished: 12 new, 0 updated');
  });

  it('masks registered secrets wherever they appear', () => {
    registerSecret('hunter2-very-secret');
    registerSecret('abc'); // too short to register
    const { log, lines } = capture();
    log.info('provider said hunter2-very-secret is wrong', { detail: 'x hunter2-very-secret y', list: ['hunter2-very-secret'], abc: 'abc' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('hunter2-very-secret');
    expect(lines[0]).toContain('"abc":"abc"');
  });

  it('redacts errors, their messages, stacks and causes', () => {
    registerSecret('s3cr3t-value');
    const err = new Error('failed with s3cr3t-value', { cause: { refresh_token: 'RT-cause' } });
    const { log, lines } = capture();
    log.error('boom', { err });
    expect(lines[0]).not.toContain('s3cr3t-value');
    expect(lines[0]).not.toContain('RT-cause');
    expect(lines[0]).toContain('boom');
  });

  it('honours levels, formats one line per call and survives cycles', () => {
    const { log, lines } = capture('warn');
    log.debug('no'); log.info('no');
    const cyclic: Record<string, unknown> = { a: 1 }; cyclic.self = cyclic;
    log.warn('multi\nline', { cyclic });
    log.child({ connectionId: 7 }).error('child');
    expect(lines).toEqual([
      '2026-01-02T03:04:05.000Z WARN multi line {"cyclic":{"a":1,"self":"[Circular]"}}',
      '2026-01-02T03:04:05.000Z ERROR child {"connectionId":7}',
    ]);
  });

  it('appends to a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-log-'));
    try {
      const file = join(dir, 'multibank.log');
      const log = createLogger({ file, level: 'info' });
      log.info('first', { access_token: 'AT-file' });
      log.info('second');
      const text = readFileSync(file, 'utf8');
      expect(text.trim().split('\n')).toHaveLength(2);
      expect(text).not.toContain('AT-file');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
