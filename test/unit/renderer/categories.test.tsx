// Categories on screens, against a scripted MultibankApi: removing asks where the transactions go, a rule is added with
// its conditions, rules are applied only after the count is shown, the detail panel marks a category as set by hand
// only when it changed, and the Export page sends the category filter.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { CategoryDto, Channel, MultibankApi, Result, RuleDto, TransactionDto } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { CategoriesPage } from '../../../renderer/src/features/categories/CategoriesPage.js';
import { ExportPage } from '../../../renderer/src/features/export/ExportPage.js';
import { TransactionDetail } from '../../../renderer/src/features/transactions/TransactionDetail.js';

afterEach(cleanup);

/** an API answering from `answers` (a value or a function of the request); every call is recorded */
function fakeApi(answers: Partial<Record<Channel, unknown>>) {
  const calls: Array<{ channel: Channel; request: unknown }> = [];
  const api: MultibankApi = {
    async call(channel, request) {
      calls.push({ channel, request });
      const a = answers[channel];
      return { ok: true, value: typeof a === 'function' ? a(request) : a ?? null } as Result<never>;
    },
    on: () => () => {},
  };
  return { api, of: (c: Channel) => calls.filter((x) => x.channel === c).map((x) => x.request) };
}

const categories: CategoryDto[] = [
  { id: 1, name: 'Groceries', transactions: 12, rules: 1 },
  { id: 2, name: 'Other', transactions: 0, rules: 0 },
];
const rules: RuleDto[] = [{ id: 5, position: 0, categoryId: 1, category: 'Groceries', text: 'rewe', minAmount: null, maxAmount: '100', direction: 'out', accountId: 7 }];
const account = { id: 7, connectionId: 1, provider: 'finapi', institutionName: 'Demo Sparkasse', name: 'Giro', iban: null, number: null, type: 'current', currency: 'EUR', balanceCurrent: 100, balanceCurrentDate: null, balanceAvailable: null, balanceAvailableDate: null, selected: true, lastSuccessAt: null };

describe('Categories page', () => {
  const api = () => fakeApi({
    'categories.list': categories, 'rules.list': rules, 'accounts.list': [account],
    'categories.remove': { moved: 12, rulesRemoved: 0 },
    'rules.add': rules[0],
    'rules.apply': { count: 4 },
  });

  it('removing a category asks where its transactions go, and sends that', async () => {
    const f = api();
    renderUi(<ApiProvider api={f.api}><CategoriesPage /></ApiProvider>);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove Groceries' }));
    const group = screen.getByRole('group', { name: 'Remove Groceries' });
    expect(group.textContent).toContain('Groceries is on 12 transactions and in 1 rule. What happens to them?');
    fireEvent.change(within(group).getByLabelText('Move them to'), { target: { value: '2' } });
    fireEvent.click(within(group).getByRole('button', { name: 'Remove Groceries' }));
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Removed Groceries: 12 transactions moved.');
    expect(f.of('categories.remove')).toEqual([{ id: 1, moveTo: 2 }]);
  });

  it('shows rules in order with their conditions, adds one, and applies them only after showing the count', async () => {
    const f = api();
    renderUi(<ApiProvider api={f.api}><CategoriesPage /></ApiProvider>);
    const list = await screen.findByRole('list', { name: 'Rules' });
    expect(list.textContent).toContain('text contains “rewe” · money out · amount at most 100 · Giro · Demo Sparkasse → Groceries');
    const form = screen.getByRole('form', { name: 'New rule' });
    fireEvent.change(within(form).getByLabelText('Payee or text contains'), { target: { value: ' lidl ' } });
    fireEvent.change(within(form).getByLabelText('Amount from'), { target: { value: '5' } });
    fireEvent.change(within(form).getByLabelText('Category'), { target: { value: '1' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    await waitFor(() => expect(f.of('rules.add')).toEqual([{ categoryId: 1, text: 'lidl', minAmount: '5' }]));

    fireEvent.click(screen.getByRole('button', { name: 'Apply to existing transactions…' }));
    const confirm = await screen.findByRole('group', { name: 'Apply rules to existing transactions' });
    expect(confirm.textContent).toContain('4 transactions would get a category');
    expect(f.of('rules.apply')).toEqual([{ dryRun: true }]);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Apply to 4 transactions' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('4 transactions got a category.'));
    expect(f.of('rules.apply')).toEqual([{ dryRun: true }, { dryRun: false }]);
  });
});

describe('the detail panel', () => {
  const row: TransactionDto = {
    id: 3, accountId: 7, bookingDate: '2026-11-03', valueDate: null, amount: -500, currency: 'EUR', status: 'booked', description: 'REWE 123',
    counterpartyName: 'REWE', counterpartyIban: null, category: 'Groceries', note: null, hidden: false,
  };
  it('offers the list, says a rule set the category, and marks it as set by hand only when it changes', async () => {
    const f = fakeApi({
      'categories.list': categories,
      'transactions.get': { ...row, remoteId: 'r3', raw: {}, firstSeenAt: '2026-11-03T00:00:00Z', lastSeenAt: '2026-11-03T00:00:00Z', retiredAt: null, categoryBy: 'rule' },
      'transactions.update': (r: Partial<TransactionDto>) => ({ ...row, ...r }),
    });
    const { container } = renderUi(<ApiProvider api={f.api}><TransactionDetail id={3} onClose={() => {}} onSaved={vi.fn()} /></ApiProvider>);
    expect(await screen.findByText('Set by a rule. A category you choose here is never changed by a rule.')).toBeTruthy();
    await waitFor(() => expect([...container.querySelectorAll('#tx-categories option')].map((o) => o.getAttribute('value'))).toEqual(['Groceries', 'Other']));
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'weekly shop' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(f.of('transactions.update')).toEqual([{ id: 3, note: 'weekly shop' }]));
    fireEvent.change(screen.getByLabelText('Category'), { target: { value: 'Other' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(f.of('transactions.update')).toEqual([{ id: 3, note: 'weekly shop' }, { id: 3, note: 'weekly shop', category: 'Other' }]));
  });
});

describe('Export page', () => {
  it('sends the category filter; "Without a category" is null', async () => {
    const f = fakeApi({ 'accounts.list': [account], 'categories.list': categories, 'export.run': { filename: 'x.csv', mime: 'text/csv', content: 'id\n', rows: 0 } });
    Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderUi(<ApiProvider api={f.api}><ExportPage /></ApiProvider>);
    const select = await screen.findByLabelText('Category');
    await screen.findByRole('option', { name: 'Groceries' });
    fireEvent.change(select, { target: { value: 'Groceries' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(f.of('export.run')).toEqual([{ format: 'csv', category: 'Groceries' }]));
    fireEvent.change(select, { target: { value: (screen.getByRole('option', { name: 'Without a category' }) as HTMLOptionElement).value } });
    fireEvent.click(screen.getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(f.of('export.run')).toEqual([{ format: 'csv', category: 'Groceries' }, { format: 'csv', category: null }]));
    click.mockRestore();
  });
});
