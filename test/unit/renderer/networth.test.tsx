// The accounts overview with net worth (issue 19) against a scripted MultibankApi: the same bank account through two
// connections is one row naming both and offers the other connection; each account shows its base-currency amount
// with the rate's day, or why there is none; the total names what it leaves out.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { AccountDto, Channel, ConnectionDto, MultibankApi, Result } from '../../../preload/contract/channels.js';
import type { NetWorthDto } from '../../../preload/contract/networth.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { Overview } from '../../../renderer/src/features/accounts/Overview.js';

function fakeApi(answers: Partial<Record<Channel, unknown>>) {
  const calls: Array<{ channel: Channel; request: unknown }> = [];
  const api: MultibankApi = {
    async call(channel, request) {
      calls.push({ channel, request });
      const a = answers[channel];
      return { ok: true, value: typeof a === 'function' ? a(request) : a ?? null } as Result<any>;
    },
    on: () => () => {},
  };
  return { api, of: (c: Channel) => calls.filter((x) => x.channel === c).map((x) => x.request) };
}

const connection = (id: number, provider: string): ConnectionDto => ({
  id, provider, institutionName: 'Tatra Demo Banka', state: 'active', expiresAt: null, message: null, lastSuccessAt: null,
  lastAttemptAt: null, lastErrorCode: null, lastErrorMessage: null, nextSyncAt: null, accountCount: 1,
});
const account = (id: number, connectionId: number, provider: string, over: Partial<AccountDto> = {}): AccountDto => ({
  id, connectionId, provider, institutionName: 'Tatra Demo Banka', name: 'Osobný účet', iban: 'SK3112000000198742637541', number: null,
  type: 'current', currency: 'EUR', balanceCurrent: 100000, balanceCurrentDate: '2026-06-17', balanceAvailable: null, balanceAvailableDate: null,
  selected: true, lastSuccessAt: null, bankName: 'Tatra Demo Banka', ...over,
});
const copies = [
  { accountId: 1, connectionId: 1, provider: 'powens', institutionName: 'Tatra Demo Banka' },
  { accountId: 2, connectionId: 2, provider: 'everifin', institutionName: 'Tatra Demo Banka' },
];
const networth: NetWorthDto = {
  base: 'CZK', date: '2026-06-17', total: 2500000, ratesProblem: null, ratesNotice: null,
  missing: ['No rate for BHD: the ECB does not publish one.'], missingNotices: [{ id: 'fx.not_published', values: { currency: 'BHD' } }],
  accounts: [
    { accountId: 1, currency: 'EUR', balance: 100000, inBase: 2500000, rateDate: '2026-06-16', problem: null, notice: null },
    { accountId: 3, currency: 'BHD', balance: 10000, inBase: null, rateDate: null, problem: 'No rate for BHD: the ECB does not publish one.', notice: { id: 'fx.not_published', values: { currency: 'BHD' } } },
  ],
  history: [{ month: '2026-05', date: '2026-05-31', total: 2400000, missing: [] }, { month: '2026-06', date: '2026-06-17', total: 2500000, missing: [] }],
};

afterEach(cleanup);

describe('accounts overview: one account once, in the base currency', () => {
  it('shows the account once with both sources, its amount in CZK with the rate\'s day, and what has no rate', async () => {
    const f = fakeApi({
      'accounts.list': [
        account(1, 1, 'powens', { sameAccount: { primaryId: 1, copies } }),
        account(2, 2, 'everifin', { sameAccount: { primaryId: 1, copies } }),
        account(3, 1, 'powens', { name: 'Dinars', iban: null, number: '0012345', currency: 'BHD', balanceCurrent: 10000 }),
      ],
      'connections.list': [connection(1, 'powens'), connection(2, 'everifin')],
      'overview.totals': [],
      'networth.get': networth,
      'accounts.prefer': [],
    });
    renderUi(<ApiProvider api={f.api}><Overview /></ApiProvider>);
    const bank = await screen.findByRole('region', { name: 'Tatra Demo Banka' });
    expect(within(bank).getAllByRole('link', { name: /Osobný účet/ })).toHaveLength(1);
    expect(screen.getAllByRole('region', { name: 'Tatra Demo Banka' })).toHaveLength(1); // the copy's connection has nothing else to show
    const sources = within(bank).getByRole('group', { name: /Osobný účet: also reached through other connections/ });
    expect(sources.textContent).toContain('through Powens (Tatra Demo Banka) and Everifin (Tatra Demo Banka). Shown from Powens');
    const inBase = await within(bank).findAllByTestId('in-base');
    expect(inBase.map((e) => e.textContent)).toEqual([expect.stringMatching(/^≈ (Kč|CZK)\s?25,000\.00 · rate of Jun 16, 2026$/), 'No rate for BHD: the ECB does not publish one.']);
    const summary = screen.getByRole('region', { name: 'Net worth in CZK' });
    expect(summary.textContent).toContain('Left out of the total: No rate for BHD: the ECB does not publish one.');
    expect(within(summary).getByRole('img', { name: /end of each month from May 31, 2026 to Jun 17, 2026/ })).toBeTruthy();

    fireEvent.click(within(sources).getByRole('button', { name: 'Use Everifin (Tatra Demo Banka) instead' }));
    await waitFor(() => expect(f.of('accounts.prefer')).toEqual([{ accountId: 2 }]));
  });
});
