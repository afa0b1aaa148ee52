// Keyset pages of transactions from main: the first page on every filter change, the next one when the list nears
// its end. Only a bounded number of pages keep their rows; a page scrolled far away drops them and is fetched
// again from its own cursor when it comes back into view, so memory stays flat however far one scrolls.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorDto, RequestOf, TransactionDto } from '../../../../preload/contract/channels.js';
import { useApi, useRevision } from '../../app/api.js';

export type TxFilter = Omit<RequestOf<'transactions.list'>, 'cursor' | 'limit'>;

export const PAGE_SIZE = 100;
/** pages whose rows stay in memory (the rest keep only their cursor and size) */
export const MAX_LOADED_PAGES = 30;
/** the next page is requested when the view is this close to the end of what is known */
const PREFETCH = 20;

interface Page { cursor: string | null; size: number; rows: TransactionDto[] | null }

export interface TxPages {
  /** rows known so far (loaded or dropped), not counting the next, unfetched page */
  count: number;
  hasMore: boolean;
  loading: boolean;
  error: ErrorDto | null;
  row: (index: number) => TransactionDto | undefined;
  /** tell which rows are on screen: fetches dropped pages among them and the next page near the end */
  showing: (first: number, last: number) => void;
  replaceRow: (row: TransactionDto) => void;
}

/** Keep the rows of at most `max` pages: drop those farthest from `keep`. */
export function evictFarPages(pages: Page[], keep: number, max: number): Page[] {
  const loaded = pages.map((p, i) => (p.rows ? i : -1)).filter((i) => i >= 0);
  if (loaded.length <= max) return pages;
  const drop = new Set(loaded.sort((a, b) => Math.abs(b - keep) - Math.abs(a - keep)).slice(0, loaded.length - max));
  return pages.map((p, i) => (drop.has(i) ? { ...p, rows: null } : p));
}

export function useTransactionPages(filter: TxFilter, pageSize = PAGE_SIZE, maxPages = MAX_LOADED_PAGES): TxPages {
  const api = useApi();
  const { revision } = useRevision();
  const [pages, setPages] = useState<Page[]>([]);
  const [next, setNext] = useState<{ cursor: string | null; more: boolean }>({ cursor: null, more: true });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  const generation = useRef(0);
  const inFlight = useRef(new Set<number>());
  const key = JSON.stringify(filter);

  const fetchPage = useCallback(async (index: number, cursor: string | null, gen: number) => {
    if (inFlight.current.has(index)) return;
    inFlight.current.add(index);
    setLoading(true);
    const r = await api.call('transactions.list', { ...(JSON.parse(key) as TxFilter), limit: pageSize, ...(cursor ? { cursor } : {}) });
    if (gen !== generation.current) return; // the filters changed meanwhile: drop this page
    inFlight.current.delete(index);
    setLoading(inFlight.current.size > 0);
    if (!r.ok) { setError(r.error); setNext((n) => ({ ...n, more: false })); return; }
    setError(null);
    setPages((prev) => {
      const out = [...prev];
      out[index] = { cursor, size: r.value.rows.length, rows: r.value.rows };
      return evictFarPages(out, index, maxPages);
    });
    if (index >= pagesRef.current.length) setNext({ cursor: r.value.nextCursor, more: r.value.nextCursor !== null });
  }, [api, key, pageSize, maxPages]);

  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  const nextRef = useRef(next);
  nextRef.current = next;

  useEffect(() => {
    const gen = ++generation.current;
    inFlight.current = new Set();
    setPages([]);
    setNext({ cursor: null, more: true });
    pagesRef.current = [];
    void fetchPage(0, null, gen);
  }, [fetchPage, revision]);

  const count = pages.reduce((n, p) => n + (p?.size ?? 0), 0);

  const showing = useCallback((first: number, last: number) => {
    const all = pagesRef.current;
    const gen = generation.current;
    for (let i = Math.floor(Math.max(0, first) / pageSize); i <= Math.floor(Math.max(0, last) / pageSize) && i < all.length; i++) {
      if (all[i] && !all[i].rows) void fetchPage(i, all[i].cursor, gen);
    }
    const known = all.reduce((n, p) => n + (p?.size ?? 0), 0);
    const n = nextRef.current;
    if (n.more && n.cursor && last >= known - PREFETCH) void fetchPage(all.length, n.cursor, gen);
  }, [fetchPage, pageSize]);

  const row = useCallback((index: number) => pages[Math.floor(index / pageSize)]?.rows?.[index % pageSize], [pages, pageSize]);

  const replaceRow = useCallback((updated: TransactionDto) => {
    setPages((prev) => prev.map((p) => (p.rows?.some((r) => r.id === updated.id)
      ? { ...p, rows: p.rows.map((r) => (r.id === updated.id ? { ...updated, highlight: r.highlight, runningBalance: r.runningBalance } : r)) }
      : p)));
  }, []);

  return { count, hasMore: next.more, loading, error, row, showing, replaceRow };
}
