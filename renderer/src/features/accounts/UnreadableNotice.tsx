// "N transactions could not be read": rows of this account a sync kept aside (the rest was written); the next sync
// tries them again. Nothing shows when there are none.
import { useQuery } from '../../app/api.js';
import { unreadableText } from '../../../../preload/contract/unreadable.js';

export function UnreadableNotice({ accountId }: { accountId: number }) {
  const rows = useQuery('accounts.unreadable', { accountId });
  if (!rows.data?.length) return null;
  const reasons = [...new Set(rows.data.map((r) => r.reason))];
  return (
    <section className="banner banner-warn unreadable-notice" role="status" aria-labelledby="h-unreadable">
      <div>
        <h2 id="h-unreadable" className="notice-title">{unreadableText(rows.data.length)}</h2>
        <p>
          {reasons.length === 1 ? <>Reason: {reasons[0]}. </> : null}
          Multibank kept {rows.data.length === 1 ? 'it' : 'them'} aside, stored every other transaction, and tries again at the next sync.
          If this stays, save a problem report from the <a href="#/sync-log">Sync log</a> and send it to us.
        </p>
        {reasons.length > 1 ? (
          <details>
            <summary>Reasons</summary>
            <ul>{rows.data.map((r, i) => <li key={`${r.remoteId ?? 'row'}-${i}`}>{r.reason}</li>)}</ul>
          </details>
        ) : null}
      </div>
    </section>
  );
}
