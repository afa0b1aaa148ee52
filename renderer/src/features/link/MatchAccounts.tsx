// After a renewal: the bank's accounts came back under new ids and Multibank could not tell by itself which local
// account some of them continue. The user picks, per account, one of the candidates (with the evidence) or "a new account".
import { useState } from 'react';
import type { ErrorDto, LinkStepDto, MatchQuestionDto } from '../../../../preload/contract/channels.js';
import { CallError, useCall } from '../../app/api.js';
import { DateText, ErrorBox } from '../../components/ui.js';

type MatchStep = Extract<LinkStepDto, { kind: 'match' }>;
/** per remote key: a local account id, 'new', or unanswered */
type Answers = Record<string, number | 'new' | undefined>;

const label = (x: { maskedIban: string | null; number: string | null; type: string; currency: string }) =>
  `${x.maskedIban ?? x.number ?? x.type} · ${x.currency}`;

export function MatchAccounts({ step, onAnswered, onCancel }: { step: MatchStep; onAnswered: (next: LinkStepDto) => void; onCancel: () => void }) {
  const call = useCall();
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
      setError(e instanceof CallError ? e.error : { code: 'internal', message: 'Could not save the choice.', action: null });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-label="Match accounts">
      <h2>Which accounts continue?</h2>
      <p>Access is renewed, but the bank now names some accounts differently. Choose the account each one continues, so its history stays in one place.</p>
      {step.questions.map((q) => (
        <Question key={q.remoteKey} q={q} value={answers[q.remoteKey]} isTaken={(id) => takenElsewhere(q.remoteKey, id)}
          onChange={(v) => setAnswers((a) => ({ ...a, [q.remoteKey]: v }))} />
      ))}
      {error ? <ErrorBox error={error} /> : null}
      <div className="row">
        <button type="button" className="primary" onClick={save} disabled={busy || !complete}>{busy ? 'Saving…' : 'Continue'}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </section>
  );
}

function Question({ q, value, isTaken, onChange }: { q: MatchQuestionDto; value: number | 'new' | undefined; isTaken: (accountId: number) => boolean; onChange: (v: number | 'new') => void }) {
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
              {c.overlaps} recent transaction{c.overlaps === 1 ? '' : 's'} in common · newest {c.lastTransactionDate ? <DateText date={c.lastTransactionDate} /> : 'none'}
            </span>
          </span>
        </label>
      ))}
      <label className="check account-choice">
        <input type="radio" name={name} checked={value === 'new'} onChange={() => onChange('new')} />
        <span className="account-name"><span className="name">None of these: a new account</span></span>
      </label>
    </fieldset>
  );
}
