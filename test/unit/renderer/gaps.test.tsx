// Screens against a scripted MultibankApi: hidden transactions (toggle, mark, hide/unhide), "Export these transactions"
// with the list's filters (and a search on the Export page), the data folder in Settings, the holder name and one Renew
// wording for connections.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { Channel, ConnectionDto, MultibankApi, Result, TransactionDto } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { Overview } from '../../../renderer/src/features/accounts/Overview.js';
import { ConnectionsPage } from '../../../renderer/src/features/connections/ConnectionsPage.js';
import { ExportPage } from '../../../renderer/src/features/export/ExportPage.js';
import { SettingsPage } from '../../../renderer/src/features/settings/SettingsPage.js';
import { TransactionsPage } from '../../../renderer/src/features/transactions/TransactionsPage.js';

const tx = (id: number, over: Partial<TransactionDto> = {}): TransactionDto => ({
  id, accountId: 1, bookingDate: '2026-11-0' + id, valueDate: null, amount: -100 * id, currency: 'EUR', status: 'booked',
  description: `Payment ${id}`, counterpartyName: 'Shop', counterpartyIban: null, category: null, note: null, hidden: false, ...over,
});

const connection = (over: Partial<ConnectionDto>): ConnectionDto => ({
  id: 1, provider: 'finapi', institutionName: 'Demo Sparkasse', state: 'active', expiresAt: null, message: null, lastSuccessAt: null,
  lastAttemptAt: null, lastErrorCode: null, lastErrorMessage: null, nextSyncAt: null, accountCount: 1, ...over,
});

/** an API answering from `answers` (a value or a function of the request); every call is recorded */
function fakeApi(answers: Partial<Record<Channel, unknown>>) {
  const calls: Array<{ channel: Channel; request: any }> = [];
  const api: MultibankApi = {
    async call(channel, request) {
      calls.push({ channel, request });
      const a = answers[channel];
      return { ok: true, value: typeof a === 'function' ? a(request) : a ?? null } as Result<any>;
    },
    on: () => () => {},
  };
  return { api, calls, of: (c: Channel) => calls.filter((x) => x.channel === c).map((x) => x.request) };
}

const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => {
  // jsdom has no layout: a 600 px viewport lets the virtual list render its rows
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
});
afterAll(() => { if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight); });
afterEach(cleanup);

describe('hidden transactions and exporting a search', () => {
  function transactionsApi() {
    const store = [tx(1), tx(2), tx(3, { hidden: true })];
    return fakeApi({
      'accounts.list': [],
      'transactions.list': (r: { includeHidden?: boolean }) => ({ rows: store.filter((t) => r.includeHidden || !t.hidden), nextCursor: null }),
      'transactions.get': (r: { id: number }) => ({ ...store.find((t) => t.id === r.id)!, remoteId: 'r', raw: {}, firstSeenAt: '2026-11-01T00:00:00Z', lastSeenAt: '2026-11-01T00:00:00Z', retiredAt: null }),
      'transactions.update': (r: { id: number; hidden: boolean }) => {
        const t = store.find((x) => x.id === r.id)!;
        t.hidden = r.hidden;
        return { ...t };
      },
      'export.run': { filename: 'multibank-2026-11-24.csv', mime: 'text/csv', content: 'id\n1\n', rows: 1 },
    });
  }

  it('"Show hidden" asks for hidden rows and marks them; the detail panel hides and unhides', async () => {
    const f = transactionsApi();
    renderUi(<ApiProvider api={f.api}><TransactionsPage params={new URLSearchParams()} /></ApiProvider>);
    const list = await screen.findByRole('listbox', { name: 'Transactions' });
    await within(list).findByText('Payment 1');
    expect(within(list).queryByText('Payment 3')).toBeNull();
    expect(f.of('transactions.list')[0].includeHidden).toBeUndefined();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Show hidden' }));
    // (a new filter loads a new first page: the list element is rendered afresh)
    const hiddenRow = (await screen.findByText('Payment 3')).closest('[role="option"]') as HTMLElement;
    expect(f.of('transactions.list').at(-1)).toMatchObject({ includeHidden: true });
    expect(within(hiddenRow).getByText('Hidden')).toBeTruthy();
    expect(within(screen.getByText('Payment 1').closest('[role="option"]') as HTMLElement).queryByText('Hidden')).toBeNull();

    // unhide from the detail panel: the call, the button and the row's mark follow
    fireEvent.click(hiddenRow);
    const details = await screen.findByRole('complementary', { name: 'Transaction details' });
    fireEvent.click(await within(details).findByRole('button', { name: 'Unhide' }));
    await within(details).findByRole('button', { name: 'Hide' });
    expect(f.of('transactions.update')).toEqual([{ id: 3, hidden: false }]);
    await waitFor(() => expect(within(hiddenRow).queryByText('Hidden')).toBeNull());
    fireEvent.click(within(details).getByRole('button', { name: 'Hide' }));
    await within(details).findByRole('button', { name: 'Unhide' });
    expect(f.of('transactions.update').at(-1)).toEqual({ id: 3, hidden: true });
  });

  it('"Export these transactions" sends the list\'s filters (not its sort) in the chosen format and saves the file', async () => {
    const f = transactionsApi();
    const createObjectURL = vi.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: () => {} });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderUi(<ApiProvider api={f.api}><TransactionsPage params={new URLSearchParams('q=payment')} /></ApiProvider>);
    await screen.findByText('Payment 1');
    fireEvent.change(screen.getByLabelText('Direction'), { target: { value: 'out' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Show hidden' }));
    fireEvent.change(screen.getByLabelText('Export format'), { target: { value: 'json' } });
    await waitFor(() => expect(f.of('transactions.list').at(-1)).toMatchObject({ search: 'payment', direction: 'out', includeHidden: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Export these transactions' }));
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Saved multibank-2026-11-24.csv with 1 transaction.');
    expect(f.of('export.run')).toEqual([{ format: 'json', search: 'payment', direction: 'out', includeHidden: true }]);
    expect(click).toHaveBeenCalledTimes(1);
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    click.mockRestore();
  });
});

describe('Settings', () => {
  it('shows where the data lives', async () => {
    const f = fakeApi({
      'prefs.get': { theme: 'system', syncEveryHours: 6, consentLeadDays: 7, allowPlainTextSecrets: false, baseCurrency: 'EUR' },
      'app.info': { version: '1.0.0', demo: false, secretStorage: { available: true, plainText: false, optedIn: false }, dataDir: '/home/ana/.config/Multibank' },
      'providers.list': [],
    });
    renderUi(<ApiProvider api={f.api}><SettingsPage /></ApiProvider>);
    expect((await screen.findByText('/home/ana/.config/Multibank')).tagName).toBe('CODE');
  });
});

describe('connections: holder name and one wording for the action', () => {
  const webForm = 'Your bank wants you to confirm access again in the finAPI web form. Choose Renew.';

  it('the consent centre shows the holder, and a connection that needs the user offers the Renew its message names', async () => {
    const f = fakeApi({
      'connections.list': [
        connection({ id: 1, state: 'needs_user', message: webForm, holderName: 'Katarzyna Wiśniewska', provider: 'banqware', institutionName: 'Demo Bank Polski' }),
        connection({ id: 2, state: 'action_at_bank', institutionName: 'Other Bank', message: 'Change your password at the bank, then choose Renew.' }),
      ],
    });
    renderUi(<ApiProvider api={f.api}><ConnectionsPage /></ApiProvider>);
    const polski = await screen.findByRole('listitem', { name: 'Demo Bank Polski' });
    expect(polski.textContent).toContain('Account holder: Katarzyna Wiśniewska');
    expect(polski.textContent).toContain(webForm);
    expect(within(polski).getByRole('link', { name: 'Renew' }).getAttribute('href')).toBe('#/link?provider=banqware&renew=1');
    expect(within(polski).queryByRole('link', { name: 'Continue' })).toBeNull();
    const other = screen.getByRole('listitem', { name: 'Other Bank' });
    expect(within(other).getByRole('link', { name: 'Renew' })).toBeTruthy();
    expect(other.textContent).not.toContain('Account holder');
  });

  it('the accounts overview shows the same message and the same Renew', async () => {
    const f = fakeApi({
      'accounts.list': [{ id: 7, connectionId: 1, provider: 'finapi', institutionName: 'Demo Sparkasse', name: 'Giro', iban: null, number: null, type: 'current', currency: 'EUR', balanceCurrent: 100, balanceCurrentDate: null, balanceAvailable: null, balanceAvailableDate: null, selected: true, lastSuccessAt: null }],
      'connections.list': [connection({ state: 'needs_user', message: webForm })],
      'overview.totals': [],
    });
    renderUi(<ApiProvider api={f.api}><Overview /></ApiProvider>);
    const bank = await screen.findByRole('region', { name: 'Demo Sparkasse' });
    expect(bank.textContent).toContain(webForm);
    expect(within(bank).getByRole('link', { name: 'Renew' }).getAttribute('href')).toBe('#/link?provider=finapi&renew=1');
  });

  it('a healthy connection has no action and no message line on the overview', async () => {
    const f = fakeApi({
      'accounts.list': [{ id: 7, connectionId: 1, provider: 'finapi', institutionName: 'Demo Sparkasse', name: 'Giro', iban: null, number: null, type: 'current', currency: 'EUR', balanceCurrent: 100, balanceCurrentDate: null, balanceAvailable: null, balanceAvailableDate: null, selected: true, lastSuccessAt: null }],
      'connections.list': [connection({ message: 'Synced.' })],
      'overview.totals': [],
    });
    renderUi(<ApiProvider api={f.api}><Overview /></ApiProvider>);
    const bank = await screen.findByRole('region', { name: 'Demo Sparkasse' });
    expect(within(bank).queryByRole('link', { name: /Renew|Reconnect/ })).toBeNull();
    expect(bank.textContent).not.toContain('Synced.');
  });
});

describe('Export page', () => {
  it('exports a search result with the accounts and dates chosen', async () => {
    const f = fakeApi({
      'accounts.list': [{ id: 7, connectionId: 1, provider: 'finapi', institutionName: 'Demo Sparkasse', name: 'Giro', iban: null, number: null, type: 'current', currency: 'EUR', balanceCurrent: 100, balanceCurrentDate: null, balanceAvailable: null, balanceAvailableDate: null, selected: true, lastSuccessAt: null }],
      'export.run': { filename: 'multibank-2026-11-24.ofx', mime: 'application/x-ofx', content: 'OFX', rows: 2 },
    });
    Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderUi(<ApiProvider api={f.api}><ExportPage /></ApiProvider>);
    fireEvent.click(await screen.findByRole('radio', { name: 'OFX' }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Giro/ }));
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-01' } });
    fireEvent.change(screen.getByRole('searchbox', { name: /Only transactions matching/ }), { target: { value: ' rewe ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Saved multibank-2026-11-24.ofx with 2 transactions.');
    expect(f.of('export.run')).toEqual([{ format: 'ofx', accountIds: [7], from: '2026-01-01', search: 'rewe' }]);
    click.mockRestore();
  });
});
