// In the transaction detail panel: the other leg of a transfer between the user's own accounts (account, date, amount),
// with "Not a transfer" (unlink) and, for a suggested link, "Confirm". Nothing shows for other transactions.
import { useState } from 'react';
import type { ErrorDto, TransactionDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useQuery } from '../../app/api.js';
import { DateText, ErrorBox, Money } from '../../components/ui.js';

export function TransferPanel({ transactionId, onChanged }: { transactionId: number; onChanged: (row: TransactionDto) => void }) {
  const call = useCall();
  const transfer = useQuery('transfers.get', { transactionId });
  const [error, setError] = useState<ErrorDto | null>(null);
  const [unlinked, setUnlinked] = useState(false);
  const t = transfer.data;
  if (unlinked) return <p role="status" className="transfer-panel muted">Not a transfer: it counts as income or spending again.</p>;
  if (!t) return null;
  const other = t.from.transactionId === transactionId ? t.to : t.from;

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
      setError(err instanceof CallError ? err.error : { code: 'internal', message: 'Could not save.', action: null });
    }
  }

  return (
    <section className="transfer-panel card" aria-label="Transfer between your accounts">
      <h3>Transfer between your accounts{t.state === 'suggested' ? ' (suggested)' : t.state === 'confirmed' ? ' (confirmed)' : ''}</h3>
      <p className="muted small">Left out of income and spending. The other side:</p>
      <dl className="fields">
        <dt>Account</dt><dd>{other.accountName} · {other.bankName}</dd>
        <dt>Date</dt><dd><DateText date={other.bookingDate} /></dd>
        <dt>Amount</dt><dd><Money minor={other.amount} currency={other.currency} signed /></dd>
        {t.rate ? <><dt>Rate</dt><dd>1 {t.from.currency} = {t.rate} {t.to.currency}</dd></> : null}
      </dl>
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        {t.state === 'suggested' ? <button type="button" className="primary" onClick={() => void act('confirm')}>Confirm</button> : null}
        <button type="button" className="ghost" onClick={() => void act('unlink')}>Not a transfer</button>
      </div>
    </section>
  );
}
