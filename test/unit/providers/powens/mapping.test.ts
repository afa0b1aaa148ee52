// Exact money from the raw JSON text, account/transaction mapping, form fields.
import { describe, expect, it } from 'vitest';
import { remap, resolveBaseUrl } from '../../../../main/providers/powens/api.js';
import { parseLossless } from '../../../../main/providers/json.js';
import { accountCurrency, fieldsForSource, mapAccount, mapField, mapTransaction } from '../../../../main/providers/powens/mapping.js';
import { BankAccount, Transaction, TransactionsList } from '../../../../main/providers/powens/schemas.js';
import { ProviderError } from '../../../../main/providers/provider.js';

describe('Powens amounts are read from the raw text, never through floats', () => {
  it('keeps every digit of JSON numbers', () => {
    const raw = '{"transactions":[{"id":12345678901234567890,"id_account":7,"date":"2026-11-01","value":-0.30000000000000004,"coming":false},{"id":2,"id_account":7,"date":"2026-11-01","value":-16192638.834382623,"coming":false}],"_links":{"next":null}}';
    const [t, odd] = TransactionsList.parse(parseLossless(raw)).transactions.map((x) => Transaction.parse(x));
    expect(t.id).toBe('12345678901234567890');
    expect(t.value).toBe('-0.30000000000000004');
    // float noise: the minor-unit value it stands for
    expect(mapTransaction(t, 'EUR')!.amount).toBe(-30);
    // really more decimals than EUR has: refused, not rounded (the row reader keeps the row aside)
    expect(odd.value).toBe('-16192638.834382623');
    expect(() => mapTransaction(odd, 'EUR')).toThrow(/more decimals than EUR allows/);
  });

  it('maps values that floats would get wrong, with the currency exponent', () => {
    const list = TransactionsList.parse(parseLossless(`{"transactions":[
      {"id":1,"id_account":7,"date":"2026-11-01","vdate":"2026-11-02","value":1234567890123.45,"coming":false,"wording":"Big","counterparty":{"label":"ACME","account_scheme_name":"iban","account_identification":"FR7630006000011234567890189"}},
      {"id":2,"id_account":7,"date":"2026-11-03","value":-0.1,"coming":true,"wording":null},
      {"id":3,"id_account":7,"date":"2026-11-03","value":null,"gross_value":null,"coming":false}]}`));
    const rows = list.transactions.map((x) => Transaction.parse(x));
    const [a, b, c] = rows.map((t) => mapTransaction(t, 'EUR'));
    expect(a).toMatchObject({ remoteId: '1', amount: 123456789012345, bookingDate: '2026-11-01', valueDate: '2026-11-02', status: 'booked', description: 'Big', counterpartyName: 'ACME', counterpartyIban: 'FR7630006000011234567890189' });
    expect(b).toMatchObject({ amount: -10, status: 'pending', description: '', currency: 'EUR' });
    expect(c).toBeNull();
    expect(() => mapTransaction(rows[1], 'JPY')).toThrow(/more decimals/);
    expect(mapTransaction({ ...rows[1], value: '-1.234' }, 'BHD')!.amount).toBe(-1234);
  });

  it('maps accounts: type, balances with coming, disabled -> enabled:false, no guessed currency', () => {
    const acc = BankAccount.parse(parseLossless('{"id":9,"id_connection":3,"name":"","original_name":"Livret A","balance":1520.10,"coming":-20.1,"currency":{"id":"EUR","precision":2},"type":"savings","iban":null,"number":"123","last_update":"2026-11-20 09:00:00","disabled":"2026-11-20 09:00:00"}'));
    expect(mapAccount(acc, 'Bank')).toEqual({
      remoteId: '9', iban: null, number: '123', name: 'Livret A', type: 'savings', currency: 'EUR',
      balanceCurrent: 152010, balanceCurrentDate: '2026-11-20', balanceAvailable: 150000, balanceAvailableDate: '2026-11-20',
      institutionName: 'Bank', enabled: false,
    });
    const other = BankAccount.parse(parseLossless('{"id":10,"name":"PEA","balance":null,"coming":null,"currency":{"id":"EUR"},"type":"brandnewtype"}'));
    expect(mapAccount(other, null)).toMatchObject({ type: 'other', currency: 'EUR', balanceCurrent: null, balanceAvailable: null, enabled: true });
    // no currency: never a guessed one (listAccounts leaves such an account out)
    const none = BankAccount.parse(parseLossless('{"id":11,"name":"X","balance":1.5,"coming":null,"currency":null,"type":"checking"}'));
    expect(accountCurrency(none)).toBeNull();
    expect(() => mapAccount(none, null)).toThrow(ProviderError);
    expect(mapAccount({ ...other, type: 'checking' }, null).type).toBe('current');
    expect(mapAccount({ ...other, type: 'pea' }, null).type).toBe('investment');
  });

  it('form fields: per source (seed connector_sources), secondary sources without the fields already given', () => {
    const fields = [
      { name: 'login', type: 'text', label: 'Login', required: true, connector_sources: ['directaccess'], auth_mechanisms: ['credentials'] },
      { name: 'website', type: 'list', label: 'Account type', required: false, auth_mechanisms: ['webauth'], values: [{ value: 'par', label: 'Personal' }] },
      { name: 'secret', type: 'weird', label: '', required: true, connector_sources: ['openapi', 'directaccess'] },
    ];
    expect(fieldsForSource(fields, 'directaccess', 'credentials').map((f) => f.name)).toEqual(['login', 'secret']);
    expect(fieldsForSource(fields, 'directaccess', 'credentials', ['openapi']).map((f) => f.name)).toEqual(['login']);
    expect(fieldsForSource(fields, 'openapi', 'webauth').map((f) => f.name)).toEqual(['website', 'secret']);
    expect(mapField(fields[2])).toEqual({ name: 'secret', label: 'secret', type: 'text', required: true, regex: null });
    expect(mapField(fields[1]).values).toEqual([{ label: 'Personal', value: 'par' }]);
  });

  it('base URL: the real host from the domain option; Powens codes re-coded, 429/5xx kept', () => {
    expect(resolveBaseUrl('https://{domain}.biapi.pro/2.0', { domain: 'acme-sandbox' })).toBe('https://acme-sandbox.biapi.pro/2.0');
    expect(resolveBaseUrl('http://127.0.0.1:4000', {})).toBe('http://127.0.0.1:4000');
    expect(() => resolveBaseUrl('https://{domain}.biapi.pro/2.0', {})).toThrow(/domain/);
    const e400 = remap(new ProviderError('bad_response', 'x', { providerCode: 'wrongpass', status: 400 })) as ProviderError;
    expect(e400.code).toBe('wrong_credentials');
    expect((remap(new ProviderError('bad_response', 'x', { providerCode: 'tooManySync', status: 400 })) as ProviderError).code).toBe('rate_limited');
    expect((remap(new ProviderError('bank_unavailable', 'x', { providerCode: 'wrongpass', status: 503 })) as ProviderError).code).toBe('bank_unavailable');
    expect((remap(new ProviderError('bad_response', 'x', { providerCode: 'unheardOf', status: 400 })) as ProviderError).code).toBe('bad_response');
  });
});
