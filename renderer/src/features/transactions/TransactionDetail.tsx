// Every field of one transaction, the aggregator's raw payload, and the local category (from the list; a new name joins
// it) and note, kept through every sync.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AccountDto, ErrorDto, TransactionDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery } from '../../app/api.js';
import { DateText, ErrorBox, Loading, Money } from '../../components/ui.js';
import { groupIban } from '../../lib/iban.js';
import { formatInstant } from '../../lib/time.js';
import { TransferPanel } from './TransferPanel.js';
import { useDisplay } from '../../app/prefs.js';
import { useT } from '../../app/i18n.js';

export function TransactionDetail({ id, account, onClose, onSaved }: { id: number; account?: AccountDto; onClose: () => void; onSaved: (row: TransactionDto) => void }) {
  const call = useCall();
  const t = useT();
  const { locale } = useDisplay();
  const tx = useQuery('transactions.get', { id });
  const categories = useQuery('categories.list');
  const [category, setCategory] = useState('');
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [saved, setSaved] = useState(false);
  const [hidden, setHidden] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (tx.data) { setCategory(tx.data.category ?? ''); setNote(tx.data.note ?? ''); setHidden(tx.data.hidden); setSaved(false); }
  }, [tx.data]);
  useEffect(() => { heading.current?.focus(); }, [id]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      // the category is sent only when changed: sending it marks it as set by hand (rules never change it then)
      const chosen = category.trim() || null;
      const row = await call('transactions.update', { id, note: note.trim() || null, ...(chosen !== (tx.data?.category ?? null) ? { category: chosen } : {}) });
      if (chosen !== (tx.data?.category ?? null)) categories.reload();
      onSaved(row);
      setSaved(true);
    } catch (err) {
      setError(err instanceof CallError ? err.error : { code: 'internal', message: t('save.failed'), action: null });
    } finally {
      setSaving(false);
    }
  }

  /** hidden rows stay stored (and in balances) but leave the list, charts and exports unless shown */
  async function toggleHidden() {
    setError(null);
    try {
      const row = await call('transactions.update', { id, hidden: !hidden });
      setHidden(row.hidden);
      onSaved(row);
    } catch (err) {
      setError(err instanceof CallError ? err.error : { code: 'internal', message: t('save.failed'), action: null });
    }
  }

  return (
    <aside className="detail card" aria-label={t('tx.detail.label')} onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}>
      <div className="detail-head">
        <h2 ref={heading} tabIndex={-1}>{t('tx.detail.title')}</h2>
        <button type="button" className="ghost" onClick={onClose} aria-label={t('tx.detail.close')}>×</button>
      </div>
      {tx.error ? <ErrorBox error={tx.error} onRetry={tx.reload} /> : !tx.data ? <Loading /> : (
        <>
          <Money minor={tx.data.amount} currency={tx.data.currency} signed className="detail-amount" />
          <p className="detail-desc">{tx.data.description}</p>
          <dl className="fields">
            <dt>{t('tx.status')}</dt><dd>{tx.data.status === 'pending' ? t('tx.pending') : t('tx.booked')}{tx.data.retiredAt ? ` ${t('tx.retired')}` : ''}{hidden ? ` · ${t('tx.hidden')}` : ''}</dd>
            <dt>{t('tx.bookingDate')}</dt><dd><DateText date={tx.data.bookingDate} /></dd>
            <dt>{t('tx.valueDate')}</dt><dd><DateText date={tx.data.valueDate} /></dd>
            <dt>{t('manual.account')}</dt><dd>{account ? `${account.name} · ${account.bankName}` : tx.data.accountId}</dd>
            <dt>{t('csv.counterparty')}</dt><dd>{tx.data.counterpartyName ?? '—'}</dd>
            <dt>{t('tx.counterpartyIban')}</dt><dd className="mono">{groupIban(tx.data.counterpartyIban)}</dd>
            <dt>{t('manual.currency')}</dt><dd>{tx.data.currency}</dd>
            <dt>{t('tx.reference')}</dt><dd className="mono small">{tx.data.remoteId}</dd>
            <dt>{t('tx.firstSeen')}</dt><dd>{formatInstant(tx.data.firstSeenAt, locale)}</dd>
            <dt>{t('tx.lastSeen')}</dt><dd>{formatInstant(tx.data.lastSeenAt, locale)}</dd>
          </dl>
          <TransferPanel key={id} transactionId={id} onChanged={onSaved} />
          <form className="form" onSubmit={save} aria-label={t('tx.notes')}>
            <label htmlFor="tx-category">{t('tx.category')}</label>
            <input id="tx-category" list="tx-categories" value={category} maxLength={100} onChange={(e) => { setCategory(e.target.value); setSaved(false); }} />
            <datalist id="tx-categories">{(categories.data ?? []).map((c) => <option key={c.id} value={c.name} />)}</datalist>
            {tx.data.categoryBy === 'rule' && category === tx.data.category ? <p className="muted small">{t('tx.byRule')}</p> : null}
            <label htmlFor="tx-note">{t('tx.note')}</label>
            <textarea id="tx-note" rows={3} value={note} maxLength={2000} onChange={(e) => { setNote(e.target.value); setSaved(false); }} />
            {error ? <ErrorBox error={error} /> : null}
            <div className="row">
              <button type="submit" className="primary" disabled={saving}>{saving ? t('saving') : t('save')}</button>
              {saved ? <span role="status" className="ok-text">{t('saved')}</span> : null}
              <button type="button" className="ghost" onClick={toggleHidden}>{hidden ? t('tx.unhide') : t('tx.hide')}</button>
            </div>
          </form>
          <details className="raw">
            <summary>{t('tx.raw')}</summary>
            <pre>{JSON.stringify(tx.data.raw, null, 2)}</pre>
          </details>
        </>
      )}
    </aside>
  );
}
