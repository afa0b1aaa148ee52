// The transactions screen against a scripted MultibankApi: keyset paging as the list scrolls, search, keyboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import { translator } from '../../helpers/translate.js';
import type { Channel, MultibankApi, Result, TransactionDto } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { readSize, TransactionsPage } from '../../../renderer/src/features/transactions/TransactionsPage.js';
import { evictFarPages, MAX_LOADED_PAGES, PAGE_SIZE } from '../../../renderer/src/features/transactions/useTransactionPages.js';

const t = translator('en');

const TOTAL = 5000;
const all: TransactionDto[] = Array.from({ length: TOTAL }, (_, i) => ({
  id: i + 1, accountId: 1, bookingDate: '2026-01-01', valueDate: null, amount: -(i + 1) * 100, currency: 'EUR', status: 'booked',
  description: i % 10 === 0 ? `Lidl store ${i}` : `Payment ${i}`, counterpartyName: i % 10 === 0 ? 'Lidl' : 'Shop',
  counterpartyIban: null, category: null, note: null, hidden: false,
}));

function fakeApi() {
  const calls: Array<{ channel: Channel; request: any }> = [];
  const api: MultibankApi = {
    async call(channel, request) {
      calls.push({ channel, request });
      const ok = (value: unknown) => ({ ok: true, value }) as Result<any>;
      if (channel === 'accounts.list') return ok([]);
      if (channel === 'transactions.get') return ok({ ...all[(request as { id: number }).id - 1], remoteId: 'r', raw: { a: 1 }, firstSeenAt: '2026-01-01T00:00:00Z', lastSeenAt: '2026-01-01T00:00:00Z', retiredAt: null });
      if (channel === 'transactions.list') {
        const r = request as { cursor?: string; limit: number; search?: string };
        const rows = r.search ? all.filter((t) => t.description.toLowerCase().includes(r.search!.toLowerCase())) : all;
        const start = r.cursor ? Number(r.cursor.slice(1)) : 0;
        const page = rows.slice(start, start + r.limit).map((t) => (r.search ? { ...t, highlight: t.description.replace(/Lidl/, '\u0001Lidl\u0002') } : t));
        const end = start + page.length;
        return ok({ rows: page, nextCursor: end < rows.length ? `c${end}` : null });
      }
      return ok(null);
    },
    on: () => () => {},
  };
  return { api, calls, lists: () => calls.filter((c) => c.channel === 'transactions.list') };
}

/** fakeApi whose transactions.list answers wait until the test releases them, in any order */
function heldApi() {
  const f = fakeApi();
  const held: Array<{ request: any; release: () => Promise<void> }> = [];
  const api: MultibankApi = {
    call: ((channel: Channel, request?: unknown) => {
      if (channel !== 'transactions.list') return f.api.call(channel, request as never);
      return new Promise<Result<unknown>>((resolve) => {
        held.push({ request, release: async () => { await act(async () => { resolve(await f.api.call(channel, request as never)); }); } });
      });
    }) as MultibankApi['call'],
    on: () => () => {},
  };
  /** the one held list request matching `match`, once it has been made */
  const waitHeld = async (match: (request: any) => boolean) => {
    let found: (typeof held)[number] | undefined;
    await waitFor(() => { found = held.find((h) => match(h.request)); expect(found).toBeDefined(); });
    return found!;
  };
  return { api, waitHeld };
}

const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => {
  // jsdom has no layout: give every element a 600 px viewport so the virtualizer knows how many rows fit
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
});
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight);
  cleanup();
});

function scrollTo(el: HTMLElement, top: number) {
  Object.defineProperty(el, 'scrollTop', { configurable: true, value: top, writable: true });
  fireEvent.scroll(el);
}

describe('transactions list', () => {
  it('renders only the visible rows and fetches the next keyset page as the end comes near', async () => {
    const f = fakeApi();
    renderUi(<ApiProvider api={f.api}><TransactionsPage params={new URLSearchParams()} /></ApiProvider>);
    const list = await screen.findByRole('listbox', { name: 'Transactions' });
    await screen.findByText('Payment 1');
    expect(f.lists()).toHaveLength(1);
    expect(f.lists()[0].request).toMatchObject({ limit: 100, sort: 'date_desc' });
    expect(f.lists()[0].request.cursor).toBeUndefined();
    const rendered = within(list).getAllByRole('option').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(40); // 100 loaded, only a screenful in the DOM

    scrollTo(list, 30 * 60); // rows 30..40 visible: still far from the end of the 100 loaded
    await act(async () => { await new Promise((r) => setTimeout(r, 50)); });
    expect(f.lists()).toHaveLength(1);

    scrollTo(list, 85 * 60); // near the end: the next page, after the cursor
    await waitFor(() => expect(f.lists()).toHaveLength(2));
    expect(f.lists()[1].request.cursor).toBe('c100');
    await screen.findByText('Payment 101');
    expect(within(list).getAllByRole('option').length).toBeLessThan(40);
    expect(f.lists().length).toBeLessThan(TOTAL / 100); // never the whole set
  });

  it('keeps the rows of a bounded number of pages, fetching a dropped page again from its cursor', async () => {
    cleanup();
    const f = fakeApi();
    renderUi(<ApiProvider api={f.api}><TransactionsPage params={new URLSearchParams()} /></ApiProvider>);
    const list = await screen.findByRole('listbox', { name: 'Transactions' });
    await screen.findByText('Payment 1');
    const pages = MAX_LOADED_PAGES + 5;
    for (let p = 1; p < pages; p++) {
      scrollTo(list, (p * PAGE_SIZE - 15) * 60);
      await waitFor(() => expect(f.lists()).toHaveLength(p + 1));
    }
    await screen.findByText(`Payment ${(pages - 1) * PAGE_SIZE - 7}`);
    expect(new Set(f.lists().map((c) => c.request.cursor)).size).toBe(pages); // each page once so far

    scrollTo(list, 0); // back to the top: page 0 was dropped, so it is fetched again from the start
    await waitFor(() => expect(f.lists()).toHaveLength(pages + 1));
    expect(f.lists().at(-1)!.request.cursor).toBeUndefined();
    await screen.findByText('Payment 1');
  });

  it('drops the pages farthest from the one in view', () => {
    const page = (rows: boolean) => ({ cursor: null, size: 1, rows: rows ? [] : null });
    const out = evictFarPages([page(true), page(true), page(true), page(true), page(true)], 4, 3);
    expect(out.map((p) => p.rows !== null)).toEqual([false, false, true, true, true]);
    expect(evictFarPages([page(true), page(false)], 0, 3).map((p) => p.rows !== null)).toEqual([true, false]);
  });

  it('searches as you type and highlights matches', async () => {
    cleanup();
    const f = fakeApi();
    renderUi(<ApiProvider api={f.api}><TransactionsPage params={new URLSearchParams()} /></ApiProvider>);
    await screen.findByText('Payment 1');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search transactions' }), { target: { value: 'lidl' } });
    await waitFor(() => expect(f.lists().at(-1)!.request.search).toBe('lidl'));
    const marks = await screen.findAllByText('Lidl', { selector: 'mark' });
    expect(marks.length).toBeGreaterThan(0);
    expect(screen.queryByText('Payment 1')).toBeNull();
  });

  it('moves with the arrow keys and opens details with Enter, closes with Escape', async () => {
    cleanup();
    const f = fakeApi();
    renderUi(<ApiProvider api={f.api}><TransactionsPage params={new URLSearchParams()} /></ApiProvider>);
    const list = await screen.findByRole('listbox', { name: 'Transactions' });
    await screen.findByText('Payment 1');
    fireEvent.focus(list);
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    await waitFor(() => expect(list.getAttribute('aria-activedescendant')).toBe('tx-3'));
    expect(within(list).getByRole('option', { selected: true }).textContent).toContain('Payment 2');
    fireEvent.keyDown(list, { key: 'Enter' });
    const panel = await screen.findByRole('complementary', { name: 'Transaction details' });
    expect(f.calls.some((c) => c.channel === 'transactions.get' && c.request.id === 3)).toBe(true);
    await waitFor(() => expect(panel.textContent).toContain('Raw data from the aggregator'));
    fireEvent.keyDown(panel, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Transaction details' })).toBeNull());
  });

  it('shows the newest filter\'s rows when an older answer arrives after a newer one', async () => {
    cleanup();
    const h = heldApi();
    renderUi(<ApiProvider api={h.api}><TransactionsPage params={new URLSearchParams()} /></ApiProvider>);
    await (await h.waitHeld((r) => !r.direction && !r.search)).release();
    await screen.findByText('Payment 1');

    fireEvent.change(screen.getByLabelText('Direction'), { target: { value: 'out' } });
    const older = await h.waitHeld((r) => r.direction === 'out' && !r.search);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search transactions' }), { target: { value: 'lidl' } });
    const newer = await h.waitHeld((r) => r.direction === 'out' && r.search === 'lidl');
    await newer.release();
    await screen.findAllByText('Lidl', { selector: 'mark' });
    await older.release(); // the answer to the filter before the search comes last: it must not replace the list
    const list = screen.getByRole('listbox', { name: 'Transactions' });
    expect(within(list).getAllByRole('option')[0].id).toBe('tx-1');
    expect(within(list).queryByText('Payment 1')).toBeNull();
    expect(within(list).getAllByRole('option').every((o) => o.textContent!.includes('Lidl'))).toBe(true);
  });

  it('does not append a page that was in flight when the filter changed', async () => {
    cleanup();
    const h = heldApi();
    renderUi(<ApiProvider api={h.api}><TransactionsPage params={new URLSearchParams()} /></ApiProvider>);
    await (await h.waitHeld((r) => !r.search && !r.cursor)).release();
    const list = await screen.findByRole('listbox', { name: 'Transactions' });
    scrollTo(list, 85 * 60);
    const stalePage = await h.waitHeld((r) => !r.search && r.cursor === 'c100');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search transactions' }), { target: { value: 'lidl' } });
    await (await h.waitHeld((r) => r.search === 'lidl' && !r.cursor)).release();
    await screen.findAllByText('Lidl', { selector: 'mark' });
    await stalePage.release(); // the unfiltered second page answers after the search's first page

    const scroller = screen.getByRole('listbox', { name: 'Transactions' });
    scrollTo(scroller, 95 * 60); // rows 95.. of the search: its own second page, not the stale one
    await (await h.waitHeld((r) => r.search === 'lidl' && r.cursor === 'c100')).release();
    await waitFor(() => expect(document.getElementById('tx-1001')).not.toBeNull()); // 'Lidl store 1000', the 101st match
    expect(document.getElementById('tx-101')).toBeNull(); // 'Payment 101' of the stale page
    expect(within(scroller).getAllByRole('option').every((o) => o.textContent!.includes('Lidl'))).toBe(true);
  });
});

describe('Min/Max amount fields', () => {
  it('read a size (no sign, comma or point) or say in plain words why not', () => {
    expect(readSize('', t)).toEqual({});
    expect(readSize(' 500 ', t)).toEqual({ size: '500' });
    expect(readSize('12,5', t)).toEqual({ size: '12.5' });
    expect(readSize('+3.', t)).toEqual({ size: '3' });
    expect(readSize('abc', t).problem).toBe('“abc” is not an amount. Type a number such as 25 or 12.50.');
    expect(readSize('1.23456', t).problem).toMatch(/not an amount/);
    expect(readSize('-500', t).problem).toBe('Type the size without a minus sign (500); for spending, choose Money out under Direction.');
  });
});
