// After a renewal: the bank's accounts came back under new ids and Multibank could not tell by itself which local
// account some of them continue. The user picks, per account, one of the candidates (with the evidence) or "a new account".
import { useState } from 'react';
import type { ErrorDto, LinkStepDto, MatchQuestionDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall } from '../../app/api.js';
import { DateText, ErrorBox } from '../../components/ui.js';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../app/i18n.js';

type MatchStep = Extract<LinkStepDto, { kind: 'match' }>;
/** per remote key: a local account id, 'new', or unanswered */
type Answers = Record<string, number | 'new' | undefined>;

const label = (x: { maskedIban: string | null; number: string | null; type: string; currency: string }) =>
  `${x.maskedIban ?? x.number ?? x.type} · ${x.currency}`;

export function MatchAccounts({ step, onAnswered, onCancel }: { step: MatchStep; onAnswered: (next: LinkStepDto) => void; onCancel: () => void }) {
  const call = useCall();
  const t = useT();
  const [answers, setAnswers] = useState<Answers>({});
  const [error, setError] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);
  const takenElsewhere = (key: string, accountId: number) => Object.entries(answers).some(([k, v]) => k !== key && v === accountId);
  const complete = step.questions.every((q) => answers[q.remoteKey] !== undefined);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const choices = step.questions.map((q) => ({ remoteKey: q.remoteKey, accountId: answers[q.remoteKey] === 'new' ? null : answers[q.remoteKey] as number }));
      onAnswered(await call('link.match', { linkId: step.linkId, choices }));
    } catch (e) {
      setError(e instanceof CallError ? e.error : { code: 'internal', message: t('link.choice.failed'), action: null });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-label={t('link.match.label')}>
      <h2>{t('link.match.title')}</h2>
      <p>{t('link.match.text')}</p>
      {step.questions.map((q) => (
        <Question key={q.remoteKey} q={q} value={answers[q.remoteKey]} isTaken={(id) => takenElsewhere(q.remoteKey, id)}
          onChange={(v) => setAnswers((a) => ({ ...a, [q.remoteKey]: v }))} />
      ))}
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        <button type="button" className="primary" onClick={save} disabled={busy || !complete}>{busy ? t('saving') : t('continue')}</button>
        <button type="button" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </section>
  );
}

function Question({ q, value, isTaken, onChange }: { q: MatchQuestionDto; value: number | 'new' | undefined; isTaken: (accountId: number) => boolean; onChange: (v: number | 'new') => void }) {
  const t = useT();
  const name = `match-${q.remoteKey}`;
  return (
    <fieldset className="plain">
      <legend><strong>{q.name}</strong> <span className="muted small mono">{label(q)}</span></legend>
      {q.candidates.map((c) => (
        <label key={c.accountId} className="check account-choice">
          <input type="radio" name={name} checked={value === c.accountId} disabled={isTaken(c.accountId)} onChange={() => onChange(c.accountId)} />
          <span className="account-name">
            <span className="name">{c.name}</span>
            <span className="muted small mono">{label(c)}</span>
            <span className="muted small">
              {t('link.match.overlaps', { count: c.overlaps })} · {c.lastTransactionDate ? <FormattedMessage id="link.match.newest" values={{ date: <DateText date={c.lastTransactionDate} /> }} /> : t('link.match.newest.none')}
            </span>
          </span>
        </label>
      ))}
      <label className="check account-choice">
        <input type="radio" name={name} checked={value === 'new'} onChange={() => onChange('new')} />
        <span className="account-name"><span className="name">{t('link.match.new')}</span></span>
      </label>
    </fieldset>
  );
}
