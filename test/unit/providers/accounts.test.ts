// mapAccountAlone: one unreadable amount of an account is left empty; the account and its other amounts are listed.
import { describe, expect, it } from 'vitest';
import { mapAccountAlone } from '../../../main/providers/accounts.js';
import { mapAccount as mapFinapi } from '../../../main/providers/finapi/index.js';
import { mapAccount as mapPowens } from '../../../main/providers/powens/mapping.js';
import type { Account } from '../../../main/providers/finapi/schemas.js';
import type { BankAccount } from '../../../main/providers/powens/schemas.js';

const finapi = (over: Partial<Account>): Account => ({
  id: '1', bankConnectionId: '7', accountName: 'Giro', iban: null, accountNumber: '1', accountCurrency: 'EUR', accountType: 'Checking',
  balance: '10.00', availableFunds: '2.50', interfaces: null, ...over,
});
const powens = (over: Partial<BankAccount>): BankAccount => ({
  id: '1', name: 'Compte', balance: '10.00', coming: '-1.25', currency: { id: 'EUR' }, type: 'checking', ...over,
} as BankAccount);

describe('mapAccountAlone', () => {
  it('keeps a readable account as the mapper makes it', () => {
    const a = mapAccountAlone(finapi({}), (x) => mapFinapi(x, 'Bank'), ['balance', 'availableFunds']);
    expect([a.balanceCurrent, a.balanceAvailable]).toEqual([1000, 250]);
  });

  it('leaves only the unreadable amount empty (finAPI: too many decimals for EUR)', () => {
    const a = mapAccountAlone(finapi({ balance: '1.005' }), (x) => mapFinapi(x, 'Bank'), ['balance', 'availableFunds']);
    expect([a.remoteId, a.balanceCurrent, a.balanceAvailable]).toEqual(['1', null, 250]);
  });

  it('Powens: an odd `coming` empties the available balance, not the current one', () => {
    const a = mapAccountAlone(powens({ coming: '0.123' }), (x) => mapPowens(x, 'Banque'), ['balance', 'coming']);
    expect([a.balanceCurrent, a.balanceAvailable]).toEqual([1000, null]);
  });

  it('lets any other error through', () => {
    expect(() => mapAccountAlone(finapi({}), () => { throw new TypeError('bug'); }, ['balance'])).toThrow(TypeError);
  });
});
