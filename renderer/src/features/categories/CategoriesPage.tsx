// Categories and the rules that set them: add, rename, remove (asking where its transactions go); rules in the order
// they are tried (the first that matches wins), and applying them to past transactions after showing how many change.
import { useState, type FormEvent } from 'react';
import type { CategoryDto, ErrorDto, RequestOf } from '../../../../preload/contract/channels.js';
import { ruleConditions } from '../../../../preload/contract/rules.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { ErrorBox, Loading, PageHeader } from '../../components/ui.js';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const asError = (e: unknown): ErrorDto => (e instanceof CallError ? e.error : { code: 'internal', message: 'Could not save.', action: null });

export function CategoriesPage() {
  const call = useCall();
  const { bump } = useRevision();
  const categories = useQuery('categories.list');
  const rules = useQuery('rules.list');
  const accounts = useQuery('accounts.list');
  const [error, setError] = useState<ErrorDto | null>(null);
  const [status, setStatus] = useState('');

  /** run a change, then reload every screen (transactions carry categories too) */
  async function change(what: () => Promise<string>) {
    setError(null);
    setStatus('');
    try {
      setStatus(await what());
      bump();
      return true;
    } catch (e) {
      setError(asError(e));
      return false;
    }
  }

  if (categories.error) return <ErrorBox error={categories.error} onRetry={categories.reload} />;
  if (!categories.data || !rules.data) return <Loading />;
  const accountName = (id: number) => {
    const a = accounts.data?.find((x) => x.id === id);
    return a ? `${a.name} · ${a.institutionName}` : `account ${id}`;
  };
  return (
    <>
      <PageHeader title="Categories">{status ? <span role="status" className="ok-text">{status}</span> : null}</PageHeader>
      {error ? <ErrorBox error={error} /> : null}
      <div className="two-col">
        <section className="card" aria-labelledby="h-categories">
          <h2 id="h-categories">Categories</h2>
          <AddCategory onAdd={(name) => change(async () => `Added ${(await call('categories.add', { name })).name}.`)} />
          <ul className="plain-list" aria-label="Categories">
            {categories.data.map((c) => (
              <CategoryRow key={c.id} category={c} others={categories.data!.filter((o) => o.id !== c.id)}
                onRename={(name) => change(async () => `Renamed to ${(await call('categories.rename', { id: c.id, name })).name}.`)}
                onRemove={(moveTo) => change(async () => {
                  const r = await call('categories.remove', { id: c.id, moveTo });
                  return `Removed ${c.name}: ${plural(r.moved, 'transaction')} ${moveTo ? 'moved' : 'left without a category'}.`;
                })}
              />
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="h-rules">
          <h2 id="h-rules">Rules</h2>
          <p className="muted small">Rules categorize new transactions at every sync, tried from the top: the first that matches wins. A category you set by hand is never changed.</p>
          {rules.data.length ? (
            <ol className="plain-list" aria-label="Rules">
              {rules.data.map((r, i) => (
                <li key={r.id} className="row">
                  <span className="grow">{ruleConditions(r, accountName)} → <strong>{r.category}</strong></span>
                  <button type="button" className="ghost" disabled={i === 0} aria-label={`Move rule ${i + 1} up`}
                    onClick={() => change(async () => { await call('rules.move', { id: r.id, position: i - 1 }); return 'Rules reordered.'; })}>↑</button>
                  <button type="button" className="ghost" disabled={i === rules.data!.length - 1} aria-label={`Move rule ${i + 1} down`}
                    onClick={() => change(async () => { await call('rules.move', { id: r.id, position: i + 1 }); return 'Rules reordered.'; })}>↓</button>
                  <button type="button" className="ghost" aria-label={`Remove rule ${i + 1}`}
                    onClick={() => change(async () => { await call('rules.remove', { id: r.id }); return 'Rule removed.'; })}>Remove</button>
                </li>
              ))}
            </ol>
          ) : <p className="muted">No rules yet.</p>}
          <AddRule categories={categories.data} accounts={(accounts.data ?? []).map((a) => ({ id: a.id, name: accountName(a.id) }))}
            onAdd={(rule) => change(async () => { await call('rules.add', rule); return 'Rule added: it applies to new transactions from the next sync.'; })} />
          {rules.data.length ? <ApplyRules onApplied={(n) => change(async () => `${plural(n, 'transaction')} got a category.`)} /> : null}
        </section>
      </div>
    </>
  );
}

function AddCategory({ onAdd }: { onAdd: (name: string) => Promise<boolean> }) {
  const [name, setName] = useState('');
  const submit = async (e: FormEvent) => { e.preventDefault(); if (await onAdd(name)) setName(''); };
  return (
    <form className="row" onSubmit={submit}>
      <label htmlFor="new-category" className="visually-hidden">New category</label>
      <input id="new-category" placeholder="New category" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
      <button type="submit" disabled={!name.trim()}>Add</button>
    </form>
  );
}

function CategoryRow({ category: c, others, onRename, onRemove }: {
  category: CategoryDto; others: CategoryDto[]; onRename: (name: string) => Promise<boolean>; onRemove: (moveTo: number | null) => Promise<boolean>;
}) {
  const [mode, setMode] = useState<'view' | 'rename' | 'remove'>('view');
  const [name, setName] = useState(c.name);
  const [moveTo, setMoveTo] = useState('');
  if (mode === 'rename') {
    return (
      <li>
        <form className="row" onSubmit={async (e) => { e.preventDefault(); if (await onRename(name)) setMode('view'); }}>
          <label className="visually-hidden" htmlFor={`rename-${c.id}`}>New name for {c.name}</label>
          <input id={`rename-${c.id}`} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} autoFocus />
          <button type="submit" className="primary" disabled={!name.trim()}>Save</button>
          <button type="button" className="ghost" onClick={() => { setName(c.name); setMode('view'); }}>Cancel</button>
        </form>
      </li>
    );
  }
  if (mode === 'remove') {
    return (
      <li>
        <div className="confirm" role="group" aria-label={`Remove ${c.name}`}>
          <p>{c.name} is on {plural(c.transactions, 'transaction')} and in {plural(c.rules, 'rule')}. What happens to them?</p>
          <label>Move them to
            <select value={moveTo} onChange={(e) => setMoveTo(e.target.value)}>
              <option value="">No category (its rules are removed)</option>
              {others.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
          </label>
          <div className="row">
            <button type="button" className="danger" onClick={() => { void onRemove(moveTo ? Number(moveTo) : null); }}>Remove {c.name}</button>
            <button type="button" className="ghost" onClick={() => setMode('view')}>Cancel</button>
          </div>
        </div>
      </li>
    );
  }
  return (
    <li className="row">
      <span className="grow">{c.name} <span className="muted small">{plural(c.transactions, 'transaction')}{c.rules ? ` · ${plural(c.rules, 'rule')}` : ''}</span></span>
      <button type="button" className="ghost" aria-label={`Rename ${c.name}`} onClick={() => setMode('rename')}>Rename</button>
      <button type="button" className="ghost" aria-label={`Remove ${c.name}`} onClick={() => setMode('remove')}>Remove</button>
    </li>
  );
}

function AddRule({ categories, accounts, onAdd }: {
  categories: CategoryDto[]; accounts: Array<{ id: number; name: string }>; onAdd: (rule: RequestOf<'rules.add'>) => Promise<boolean>;
}) {
  const [categoryId, setCategoryId] = useState('');
  const [text, setText] = useState('');
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [direction, setDirection] = useState<'' | 'in' | 'out'>('');
  const [accountId, setAccountId] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    const ok = await onAdd({
      categoryId: Number(categoryId), ...(text.trim() ? { text: text.trim() } : {}), ...(min.trim() ? { minAmount: min.trim() } : {}),
      ...(max.trim() ? { maxAmount: max.trim() } : {}), ...(direction ? { direction } : {}), ...(accountId ? { accountId: Number(accountId) } : {}),
    });
    if (ok) { setText(''); setMin(''); setMax(''); setDirection(''); setAccountId(''); }
  }
  return (
    <form className="form" onSubmit={submit} aria-label="New rule">
      <h3>New rule</h3>
      <label htmlFor="rule-text">Payee or text contains</label>
      <input id="rule-text" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} />
      <div className="row">
        <label>Amount from<input inputMode="decimal" size={8} value={min} onChange={(e) => setMin(e.target.value)} placeholder="0.00" /></label>
        <label>to<input inputMode="decimal" size={8} value={max} onChange={(e) => setMax(e.target.value)} placeholder="any" /></label>
        <label>Direction
          <select value={direction} onChange={(e) => setDirection(e.target.value as typeof direction)}>
            <option value="">In and out</option><option value="in">Money in</option><option value="out">Money out</option>
          </select>
        </label>
      </div>
      <label htmlFor="rule-account">Account</label>
      <select id="rule-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
        <option value="">Any account</option>
        {accounts.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
      </select>
      <label htmlFor="rule-category">Category</label>
      <select id="rule-category" value={categoryId} onChange={(e) => setCategoryId(e.target.value)} required>
        <option value="" disabled>Choose…</option>
        {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </select>
      <button type="submit" disabled={!categoryId}>Add rule</button>
    </form>
  );
}

/** count first, then apply on a second press */
function ApplyRules({ onApplied }: { onApplied: (n: number) => Promise<boolean> }) {
  const call = useCall();
  const [pending, setPending] = useState<number | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(dryRun: boolean) {
    setBusy(true);
    setError(null);
    try {
      const { count } = await call('rules.apply', { dryRun });
      if (dryRun) setPending(count);
      else { setPending(null); await onApplied(count); }
    } catch (e) {
      setError(asError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="apply-rules">
      {error ? <ErrorBox error={error} /> : null}
      {pending === null ? (
        <button type="button" disabled={busy} onClick={() => run(true)}>Apply to existing transactions…</button>
      ) : (
        <div role="group" aria-label="Apply rules to existing transactions" className="row">
          <span className="grow">{pending === 0 ? 'No stored transaction would change.' : `${plural(pending, 'transaction')} would get a category (those you set by hand stay as they are).`}</span>
          {pending ? <button type="button" className="primary" disabled={busy} onClick={() => run(false)}>Apply to {plural(pending, 'transaction')}</button> : null}
          <button type="button" className="ghost" onClick={() => setPending(null)}>{pending ? 'Cancel' : 'OK'}</button>
        </div>
      )}
    </div>
  );
}
