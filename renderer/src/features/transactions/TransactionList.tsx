// One virtualized list for any number of transactions: only visible rows are in the DOM; which rows are on screen
// is reported so the pages behind them are fetched (useTransactionPages).
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { AccountDto, TransactionDto } from '../../../../preload/contract/channels.js';
import { Highlighted, markTerms, parseMarked } from '../../lib/highlight.js';
import { DateText, Money } from '../../components/ui.js';
import { useT } from '../../app/i18n.js';

export const ROW_HEIGHT = 60;

interface Props {
  count: number;
  hasMore: boolean;
  row: (index: number) => TransactionDto | undefined;
  showing: (first: number, last: number) => void;
  accounts: Map<number, AccountDto>;
  search: string;
  activeIndex: number;
  setActiveIndex: (i: number) => void;
  onOpen: (row: TransactionDto) => void;
  onEscape: () => void;
  /** height used before the list has been measured (tests, first paint) */
  initialHeight?: number;
}

export function TransactionList({ count: known, hasMore, row: rowAt, showing, accounts, search, activeIndex, setActiveIndex, onOpen, onEscape, initialHeight = 600 }: Props) {
  const t = useT();
  const scrollRef = useRef<HTMLDivElement>(null);
  // focus from a click must not make the first row active: the list would scroll to the top under the pointer, and
  // the row being clicked would never get its click
  const pointerFocus = useRef(false);
  const count = known + (hasMore ? 1 : 0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 800, height: initialHeight },
  });
  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (last >= 0) showing(first, last);
  }, [first, last, known, showing]);

  useEffect(() => {
    if (activeIndex >= 0) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, virtualizer]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight || initialHeight) / ROW_HEIGHT) - 1);
    const move = (to: number) => { e.preventDefault(); setActiveIndex(Math.max(0, Math.min(known - 1, to))); };
    switch (e.key) {
      case 'ArrowDown': return move(activeIndex + 1);
      case 'ArrowUp': return move(activeIndex - 1);
      case 'PageDown': return move(activeIndex + page);
      case 'PageUp': return move(activeIndex - page);
      case 'Home': return move(0);
      case 'End': return move(known - 1);
      case 'Enter': { const r = rowAt(activeIndex); if (r) { e.preventDefault(); onOpen(r); } return; }
      case 'Escape': e.preventDefault(); onEscape(); return;
    }
  }

  const active = activeIndex >= 0 ? rowAt(activeIndex) : undefined;
  return (
    <div
      ref={scrollRef}
      className="tx-scroll"
      role="listbox"
      aria-label={t('nav.transactions')}
      tabIndex={0}
      aria-activedescendant={active ? `tx-${active.id}` : undefined}
      onKeyDown={onKeyDown}
      onPointerDown={() => { pointerFocus.current = true; }}
      onFocus={() => {
        const byPointer = pointerFocus.current;
        pointerFocus.current = false;
        if (!byPointer && activeIndex < 0 && known) setActiveIndex(0);
      }}
      onBlur={() => { pointerFocus.current = false; }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((item) => {
          const row = rowAt(item.index);
          if (!row) {
            return (
              <div key={`loading-${item.index}`} className="tx-row tx-more" role="presentation" style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
                {t('loading')}
              </div>
            );
          }
          const account = accounts.get(row.accountId);
          return (
            <div
              key={row.id}
              id={`tx-${row.id}`}
              role="option"
              aria-selected={item.index === activeIndex}
              className={`tx-row${item.index === activeIndex ? ' active' : ''}${row.status === 'pending' ? ' pending' : ''}${row.hidden ? ' is-hidden' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              onClick={() => { setActiveIndex(item.index); onOpen(row); }}
            >
              <div className="tx-date"><DateText date={row.bookingDate} /></div>
              <div className="tx-main">
                <div className="tx-desc">
                  <Highlighted segments={row.highlight ? parseMarked(row.highlight) : [{ text: row.description, match: false }]} />
                </div>
                <div className="tx-sub muted small">
                  {row.counterpartyName ? <Highlighted segments={markTerms(row.counterpartyName, search)} /> : null}
                  {account ? <span className="tx-account"> · {account.name}</span> : null}
                  {row.category ? <span className="tag"><Highlighted segments={markTerms(row.category, search)} /></span> : null}
                  {row.note ? <span className="tx-note"> · <Highlighted segments={markTerms(row.note, search)} /></span> : null}
                  {row.status === 'pending' ? <span className="badge badge-warn">{t('tx.pending')}</span> : null}
                  {row.hidden ? <span className="badge badge-info">{t('tx.hidden')}</span> : null}
                  {row.transferId !== undefined ? <span className="badge badge-info" title={t('tx.transfer.title')}>{t('tx.transfer')}</span> : null}
                </div>
              </div>
              <div className="tx-amounts">
                <Money minor={row.amount} currency={row.currency} signed className="tx-amount" />
                {row.runningBalance !== undefined ? (
                  <span className="tx-balance muted small" title={t('tx.balanceAfter.title')}>
                    <span className="visually-hidden">{t('tx.balanceAfter')} </span><Money minor={row.runningBalance} currency={account?.currency ?? row.currency} />
                  </span>
                ) : null}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
