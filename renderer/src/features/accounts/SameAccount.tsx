// The same bank account reached through several connections (issue 19): the overview shows it once and names every
// connection it comes through; the user picks the one whose copy is shown and counted.
import { useState } from 'react';
import type { AccountDto, ErrorDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall, useRevision } from '../../app/api.js';
import { ErrorBox } from '../../components/ui.js';
import { providerName } from '../../lib/providers.js';
import { useList, useT } from '../../app/i18n.js';

/** the accounts to show: every chosen one, but of the same bank account only the preferred copy */
export const shownCopies = (accounts: AccountDto[]) => accounts.filter((a) => a.selected && (!a.sameAccount || a.sameAccount.primaryId === a.id));

export function SameAccountSources({ account }: { account: AccountDto }) {
  const call = useCall();
  const t = useT();
  const list = useList();
  const { bump } = useRevision();
  const [error, setError] = useState<ErrorDto | null>(null);
  const same = account.sameAccount;
  if (!same) return null;
  const via = (c: (typeof same.copies)[number]) => `${providerName(c.provider, t)} (${c.institutionName})`;
  const others = same.copies.filter((c) => c.accountId !== same.primaryId);
  async function prefer(accountId: number) {
    try {
      await call('accounts.prefer', { accountId });
      bump();
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('same.failed'), action: null });
    }
  }
  return (
    <div className="same-account small" role="group" aria-label={t('same.label', { name: account.name })}>
      <span className="muted">{t('same.text', { all: list(same.copies.map(via)), shown: via(same.copies.find((c) => c.accountId === same.primaryId)!) })}</span>
      {others.map((c) => (
        <button key={c.accountId} type="button" className="ghost small" onClick={() => prefer(c.accountId)}>{t('same.use', { via: via(c) })}</button>
      ))}
      {error ? <ErrorBox error={error} /> : null}
    </div>
  );
}
