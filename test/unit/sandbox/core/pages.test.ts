import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  accountChoicePage, bankChoicePage, consentPage, decision, DEMO_SCA_CODE, errorPage, formValues, loginPage, PAGE_ERRORS, scaExpired, scaPage, withParams,
} from '../../../../sandbox/core/pages.js';

const { JSDOM } = createRequire(import.meta.url)('jsdom') as { JSDOM: new (html: string) => { window: Window } };
const doc = (html: string) => new JSDOM(html).window.document;

/** every visible input has a label; every form has a real submit button */
function accessible(d: Document) {
  for (const input of d.querySelectorAll('input:not([type=hidden])')) {
    expect((input as HTMLInputElement).labels?.length, (input as HTMLInputElement).name).toBeGreaterThan(0);
  }
  for (const f of d.querySelectorAll('form')) expect(f.querySelectorAll('button[type=submit]').length).toBeGreaterThan(0);
  expect(d.querySelectorAll('script')).toHaveLength(0);
}

describe('bank pages', () => {
  it('login page: labelled username and password, hidden state, error, demo logins, cancel', () => {
    const d = doc(loginPage({ bankName: 'Tatra Demo Banka', action: '/bank/login', hidden: { session: 'a"b<c' }, error: PAGE_ERRORS.wrongPassword, demoLogins: [{ username: 'demo', password: 'demo1234' }], username: 'demo' }));
    accessible(d);
    expect(d.querySelector('form')!.getAttribute('action')).toBe('/bank/login');
    expect(d.querySelector('form')!.getAttribute('method')).toBe('post');
    expect((d.querySelector('input[name=username]') as HTMLInputElement).labels![0].textContent).toBe('Username');
    expect((d.querySelector('input[name=password]') as HTMLInputElement).type).toBe('password');
    expect((d.querySelector('input[name=session]') as HTMLInputElement).value).toBe('a"b<c');
    expect((d.querySelector('input[name=username]') as HTMLInputElement).value).toBe('demo');
    expect(d.querySelector('[role=alert]')!.textContent).toBe(PAGE_ERRORS.wrongPassword);
    expect(d.querySelector('#demo-logins')!.textContent).toContain('demo1234');
    expect([...d.querySelectorAll('button')].map((b) => [b.textContent, b.getAttribute('value')])).toEqual([['Log in', 'submit'], ['Cancel', 'cancel']]);
    expect(d.title).toContain('Tatra Demo Banka');
  });

  it('SCA page shows the demo code and asks for the one-time code', () => {
    const d = doc(scaPage({ bankName: 'B', action: '/sca', hidden: { s: '1' } }));
    accessible(d);
    expect(d.querySelector('#demo-code')!.textContent).toContain(DEMO_SCA_CODE);
    expect((d.querySelector('input[name=otp]') as HTMLInputElement).labels![0].textContent).toBe('One-time code');
    expect(d.body.getAttribute('data-page')).toBe('sca');
  });

  it('account choice: one labelled checkbox per account, checked by default', () => {
    const d = doc(accountChoicePage({ bankName: 'B', action: '/acc', accounts: [{ id: 'a1', name: 'Girokonto', iban: 'DE89370400440532013000', currency: 'EUR' }, { id: 'a2', name: 'Tagesgeld', currency: 'EUR', checked: false }] }));
    accessible(d);
    const boxes = [...d.querySelectorAll('input[type=checkbox][name=accounts]')] as HTMLInputElement[];
    expect(boxes.map((b) => [b.value, b.checked])).toEqual([['a1', true], ['a2', false]]);
    expect(boxes[0].labels![0].textContent).toContain('Girokonto');
  });

  it('consent: approve and deny buttons, scopes, validity', () => {
    const d = doc(consentPage({ bankName: 'B', action: '/consent', via: 'via Powens', validUntil: '2027-02-01T00:00:00Z', accounts: [{ id: 'a', name: 'Girokonto', currency: 'EUR' }] }));
    accessible(d);
    expect([...d.querySelectorAll('button')].map((b) => b.getAttribute('value'))).toEqual(['approve', 'deny']);
    expect(d.body.textContent).toContain('2027-02-01');
    expect(d.body.textContent).toContain('Girokonto');
  });

  it('bank choice and error pages', () => {
    const d = doc(bankChoicePage({ bankName: '', action: '/pick', banks: [{ id: 'x', name: 'X Bank', country: 'SK' }, { id: 'y', name: 'Y Bank' }] }));
    accessible(d);
    expect(([...d.querySelectorAll('input[name=bankId]')] as HTMLInputElement[]).map((i) => i.value)).toEqual(['x', 'y']);
    const e = doc(errorPage({ bankName: 'B', message: PAGE_ERRORS.scaTimeout, backUrl: 'multibank://oauth/callback?error=timeout' }));
    expect(e.querySelector('[role=alert]')!.textContent).toBe(PAGE_ERRORS.scaTimeout);
    expect(e.querySelector('a#back')!.getAttribute('href')).toBe('multibank://oauth/callback?error=timeout');
  });

  it('reads posts back: decision, repeated fields, SCA expiry, redirect params', () => {
    expect(decision({ body: { decision: 'cancel' } })).toBe('cancel');
    expect(decision({ body: { decision: 'approve' } })).toBe('approve');
    expect(decision({ body: {} })).toBe('submit');
    expect(decision({ body: undefined })).toBe('submit');
    expect(formValues({ rawBody: 'accounts=a1&accounts=a2&decision=submit', query: new URLSearchParams() }, 'accounts')).toEqual(['a1', 'a2']);
    expect(formValues({ rawBody: '', query: new URLSearchParams('accounts=z') }, 'accounts')).toEqual(['z']);
    expect(scaExpired(0, 5 * 60_000)).toBe(false);
    expect(scaExpired(0, 5 * 60_000 + 1)).toBe(true);
    expect(withParams('http://127.0.0.1:5000/callback?x=1', { code: 'c', state: 's&t' })).toBe('http://127.0.0.1:5000/callback?x=1&code=c&state=s%26t');
    expect(withParams('multibank://oauth/callback', { error: 'access_denied', state: undefined })).toBe('multibank://oauth/callback?error=access_denied');
  });
});
