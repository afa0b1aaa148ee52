// Keyset pages of transactions from main: the first page on every filter change, the next one when the list nears its end.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorDto, RequestOf, TransactionDto } from '../../../../preload/contract/channels.js';
import { useApi, useRevision } from '../../app/api.js';

export type TxFilter = Omit<RequestOf<'transactions.list'>, 'cursor' | 'limit'>;

export interface TxPages {
  rows: TransactionDto[];
  hasMore: boolean;
  loading: boolean;
  error: ErrorDto | null;
  loadMore: () => void;
  replaceRow: (row: TransactionDto) => void;
}

export function useTransactionPages(filter: TxFilter, pageSize = 100): TxPages {
  const api = useApi();
  const { revision } = useRevision();
  const [rows, setRows] = useState<TransactionDto[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  const generation = useRef(0);
  const inFlight = useRef(false);
  const key = JSON.stringify(filter);

  const fetchPage = useCallback(async (after: string | null, gen: number) => {
    inFlight.current = true;
    setLoading(true);
    const r = await api.call('transactions.list', { ...filter, limit: pageSize, ...(after ? { cursor: after } : {}) });
    if (gen !== generation.current) return; // filters changed meanwhile: drop this page
    inFlight.current = false;
    setLoading(false);
    if (!r.ok) { setError(r.error); setHasMore(false); return; }
    setError(null);
    setRows((prev) => (after ? [...prev, ...r.value.rows] : r.value.rows));
    setCursor(r.value.nextCursor);
    setHasMore(r.value.nextCursor !== null);
  }, [api, key, pageSize]);

  useEffect(() => {
    const gen = ++generation.current;
    inFlight.current = false;
    setRows([]);
    setCursor(null);
    setHasMore(true);
    void fetchPage(null, gen);
  }, [fetchPage, revision]);

  const loadMore = useCallback(() => {
    if (inFlight.current || !hasMore || !cursor) return;
    void fetchPage(cursor, generation.current);
  }, [fetchPage, hasMore, cursor]);

  const replaceRow = useCallback((row: TransactionDto) => {
    setRows((prev) => prev.map((r) => (r.id === row.id ? { ...row, highlight: r.highlight } : r)));
  }, []);

  return { rows, hasMore, loading, error, loadMore, replaceRow };
}
