// In the transaction detail panel: the other leg of a transfer between the user's own accounts (account, date, amount),
// with "Not a transfer" (unlink) and, for a suggested link, "Confirm". Nothing shows for other transactions.
import { useState } from 'react';
import type { ErrorDto, TransactionDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery } from '../../app/api.js';
import { DateText, ErrorBox, Money } from '../../components/ui.js';
import { useT } from '../../app/i18n.js';

export function TransferPanel({ transactionId, onChanged }: { transactionId: number; onChanged: (row: TransactionDto) => void }) {
  const call = useCall();
  const t = useT();
  const transfer = useQuery('transfers.get', { transactionId });
  const [error, setError] = useState<ErrorDto | null>(null);
  const [unlinked, setUnlinked] = useState(false);
  const tr = transfer.data;
  if (unlinked) return <p role="status" className="transfer-panel muted">{t('transfer.unlinked')}</p>;
  if (!tr) return null;
  const other = tr.from.transactionId === transactionId ? tr.to : tr.from;

  async function act(what: 'unlink' | 'confirm') {
    setError(null);
    try {
      if (what === 'unlink') {
        await call('transfers.unlink', { transactionId });
        setUnlinked(true);
        // both legs' rows in the list lose their transfer mark
        for (const id of [transactionId, other.transactionId]) onChanged(await call('transactions.get', { id }));
      } else {
        await call('transfers.confirm', { transactionId });
        transfer.reload();
      }
    } catch (err) {
      setError(err instanceof CallError ? err.error : { code: 'internal', message: t('save.failed'), action: null });
    }
  }

  return (
    <section className="transfer-panel card" aria-label={t('transfer.label')}>
      <h3>{t('transfer.title', { state: tr.state })}</h3>
      <p className="muted small">{t('transfer.otherSide')}</p>
      <dl className="fields">
        <dt>{t('manual.account')}</dt><dd>{other.accountName} · {other.bankName}</dd>
        <dt>{t('csv.date')}</dt><dd><DateText date={other.bookingDate} /></dd>
        <dt>{t('csv.amount')}</dt><dd><Money minor={other.amount} currency={other.currency} signed /></dd>
        {tr.rate ? <><dt>{t('transfer.rate')}</dt><dd>1 {tr.from.currency} = {tr.rate} {tr.to.currency}</dd></> : null}
      </dl>
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        {tr.state === 'suggested' ? <button type="button" className="primary" onClick={() => void act('confirm')}>{t('transfer.confirm')}</button> : null}
        <button type="button" className="ghost" onClick={() => void act('unlink')}>{t('transfer.unlink')}</button>
      </div>
    </section>
  );
}
