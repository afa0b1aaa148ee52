// The transfer panel of the transaction detail and the "History incomplete" notice of the account page, against a
// scripted MultibankApi: what they show, Confirm and Not a transfer, and nothing at all when there is nothing to say.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { Channel, MultibankApi, Result, TransactionDto } from '../../../preload/contract/channels.js';
import type { HistoryGapDto, TransferDto } from '../../../preload/contract/transfers.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { HistoryGapNotice } from '../../../renderer/src/features/accounts/HistoryGapNotice.js';
import { TransferPanel } from '../../../renderer/src/features/transactions/TransferPanel.js';

afterEach(cleanup);

function fakeApi(answers: Partial<Record<Channel, unknown>>) {
  const calls: Array<{ channel: Channel; request: unknown }> = [];
  const api: MultibankApi = {
    async call(channel, request) {
      calls.push({ channel, request });
      const a = answers[channel];
      return { ok: true, value: typeof a === 'function' ? (a as (r: unknown) => unknown)(request) : a ?? null } as Result<never>;
    },
    on: () => () => {},
  };
  return { api, calls };
}

const leg = (transactionId: number, accountName: string, amount: number, currency: string) => ({
  transactionId, accountId: transactionId, accountName, bankName: 'Tatra Demo Banka', bookingDate: '2026-11-12', amount, currency, description: 'FX',
});

describe('transfer panel', () => {
  it('shows the other leg and the rate, confirms a suggestion, and unlinks both rows', async () => {
    let transfer: TransferDto | null = { state: 'suggested', rate: '162.5', from: leg(1, 'Osobný účet', -10_000, 'EUR'), to: leg(2, 'Devízový účet JPY', 16_250, 'JPY') };
    const changed: TransactionDto[] = [];
    const { api, calls } = fakeApi({
      'transfers.get': () => transfer,
      'transfers.confirm': () => (transfer = { ...transfer!, state: 'confirmed' }),
      'transfers.unlink': () => { transfer = null; return null; },
      'transactions.get': (r: { id: number }) => ({ id: r.id }),
    });
    renderUi(<ApiProvider api={api}><TransferPanel transactionId={2} onChanged={(row) => changed.push(row)} /></ApiProvider>);
    const panel = await screen.findByRole('region', { name: 'Transfer between your accounts' });
    expect(within(panel).getByRole('heading').textContent).toBe('Transfer between your accounts (suggested)');
    expect(panel.textContent).toContain('Osobný účet · Tatra Demo Banka');
    expect(panel.textContent).toContain('1 EUR = 162.5 JPY');
    fireEvent.click(within(panel).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(within(panel).getByRole('heading').textContent).toBe('Transfer between your accounts (confirmed)'));
    expect(within(panel).queryByRole('button', { name: 'Confirm' })).toBeNull();
    fireEvent.click(within(panel).getByRole('button', { name: 'Not a transfer' }));
    expect((await screen.findByRole('status')).textContent).toBe('Not a transfer: it counts as income or spending again.');
    await waitFor(() => expect(changed.map((r) => r.id)).toEqual([2, 1]));
    expect(calls.filter((c) => c.channel === 'transfers.unlink').map((c) => c.request)).toEqual([{ transactionId: 2 }]);
  });

  it('shows nothing for a transaction that is not a transfer', async () => {
    const { api, calls } = fakeApi({ 'transfers.get': null });
    const { container } = renderUi(<ApiProvider api={api}><TransferPanel transactionId={5} onChanged={() => {}} /></ApiProvider>);
    await waitFor(() => expect(calls.some((c) => c.channel === 'transfers.get')).toBe(true));
    expect(container.textContent).toBe('');
  });
});

describe('history incomplete notice', () => {
  it("says what is missing and what to do, for the page's account only", async () => {
    const gap: HistoryGapDto = { accountId: 3, from: '2026-10-01', to: '2026-11-01', missing: -15_000, currency: 'EUR', message: 'History incomplete: …',
      notice: { id: 'gap.missing', values: { amount: { id: 'money', values: { minor: 15_000, currency: 'EUR' } }, direction: 'out', from: { id: 'date', values: { iso: '2026-10-01' } }, to: { id: 'date', values: { iso: '2026-11-01' } } } } };
    const { api, calls } = fakeApi({ 'accounts.historyGaps': (r: { accountId: number }) => (r.accountId === 3 ? [gap] : []) });
    renderUi(<ApiProvider api={api}><HistoryGapNotice accountId={3} /></ApiProvider>);
    const text = (await screen.findByRole('status', { name: 'History incomplete' })).textContent!;
    // main's notice, rendered in the reader's language with its money and date formats
    expect(text).toMatch(/^History incomplete: €150\.00 of money out is missing between .*2026.* and .*2026.*Renew the connection and sync/);
    expect(calls.map((c) => c.request)).toEqual([{ accountId: 3 }]);
    cleanup();
    // in the reader's language, with that language's money and date formats
    renderUi(<ApiProvider api={api}><HistoryGapNotice accountId={3} /></ApiProvider>, { language: 'de' });
    expect((await screen.findByRole('status', { name: 'Verlauf unvollständig' })).textContent).toMatch(/^Verlauf unvollständig: Zwischen 01\.10\.2026 und 01\.11\.2026 fehlen 150,00\s€ an Ausgängen/);
    cleanup();
    const { container } = renderUi(<ApiProvider api={api}><HistoryGapNotice accountId={4} /></ApiProvider>);
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(container.textContent).toBe('');
  });
});
