// Categories and the rules that set them: add, rename, remove (asking where its transactions go); rules in the order
// they are tried (the first that matches wins), and applying them to past transactions after showing how many change.
import { useState, type FormEvent } from 'react';
import type { CategoryDto, ErrorDto, RequestOf } from '../../../../preload/contract/channels.js';
import { ruleConditions } from '../../../../preload/contract/rules.js';
import { CallError, useCall, useQuery, useRevision } from '../../app/api.js';
import { ErrorBox, Loading, PageHeader } from '../../components/ui.js';
import { useT, type Translate } from '../../app/i18n.js';

const asError = (e: unknown, t: Translate): ErrorDto => (e instanceof CallError ? e.error : { code: 'internal', message: t('save.failed'), action: null });

export function CategoriesPage() {
  const call = useCall();
  const t = useT();
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
      setError(asError(e, t));
      return false;
    }
  }

  if (categories.error) return <ErrorBox error={categories.error} onRetry={categories.reload} />;
  if (!categories.data || !rules.data) return <Loading />;
  const accountName = (id: number) => {
    const a = accounts.data?.find((x) => x.id === id);
    return a ? `${a.name} · ${a.institutionName}` : t('rules.accountId', { id });
  };
  return (
    <>
      <PageHeader title={t('nav.categories')}>{status ? <span role="status" className="ok-text">{status}</span> : null}</PageHeader>
      {error ? <ErrorBox error={error} /> : null}
      <div className="two-col">
        <section className="card" aria-labelledby="h-categories">
          <h2 id="h-categories">{t('nav.categories')}</h2>
          <AddCategory onAdd={(name) => change(async () => t('categories.added', { name: (await call('categories.add', { name })).name }))} />
          <ul className="plain-list" aria-label={t('nav.categories')}>
            {categories.data.map((c) => (
              <CategoryRow key={c.id} category={c} others={categories.data!.filter((o) => o.id !== c.id)}
                onRename={(name) => change(async () => t('categories.renamed', { name: (await call('categories.rename', { id: c.id, name })).name }))}
                onRemove={(moveTo) => change(async () => {
                  const r = await call('categories.remove', { id: c.id, moveTo });
                  return t(moveTo ? 'categories.removed.moved' : 'categories.removed.left', { name: c.name, count: r.moved });
                })}
              />
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="h-rules">
          <h2 id="h-rules">{t('rules.title')}</h2>
          <p className="muted small">{t('rules.intro')}</p>
          {rules.data.length ? (
            <ol className="plain-list" aria-label={t('rules.title')}>
              {rules.data.map((r, i) => (
                <li key={r.id} className="row">
                  <span className="grow">{ruleConditions(r, accountName, t)} → <strong>{r.category}</strong></span>
                  <button type="button" className="ghost" disabled={i === 0} aria-label={t('rules.up', { n: i + 1 })}
                    onClick={() => change(async () => { await call('rules.move', { id: r.id, position: i - 1 }); return t('rules.reordered'); })}>↑</button>
                  <button type="button" className="ghost" disabled={i === rules.data!.length - 1} aria-label={t('rules.down', { n: i + 1 })}
                    onClick={() => change(async () => { await call('rules.move', { id: r.id, position: i + 1 }); return t('rules.reordered'); })}>↓</button>
                  <button type="button" className="ghost" aria-label={t('rules.removeOne', { n: i + 1 })}
                    onClick={() => change(async () => { await call('rules.remove', { id: r.id }); return t('rules.removed'); })}>{t('remove')}</button>
                </li>
              ))}
            </ol>
          ) : <p className="muted">{t('rules.none')}</p>}
          <AddRule categories={categories.data} accounts={(accounts.data ?? []).map((a) => ({ id: a.id, name: accountName(a.id) }))}
            onAdd={(rule) => change(async () => { await call('rules.add', rule); return t('rules.added'); })} />
          {rules.data.length ? <ApplyRules onApplied={(n) => change(async () => t('rules.applied', { count: n }))} /> : null}
        </section>
      </div>
    </>
  );
}

function AddCategory({ onAdd }: { onAdd: (name: string) => Promise<boolean> }) {
  const t = useT();
  const [name, setName] = useState('');
  const submit = async (e: FormEvent) => { e.preventDefault(); if (await onAdd(name)) setName(''); };
  return (
    <form className="row" onSubmit={submit}>
      <label htmlFor="new-category" className="visually-hidden">{t('categories.new')}</label>
      <input id="new-category" placeholder={t('categories.new')} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
      <button type="submit" disabled={!name.trim()}>{t('add')}</button>
    </form>
  );
}

function CategoryRow({ category: c, others, onRename, onRemove }: {
  category: CategoryDto; others: CategoryDto[]; onRename: (name: string) => Promise<boolean>; onRemove: (moveTo: number | null) => Promise<boolean>;
}) {
  const t = useT();
  const [mode, setMode] = useState<'view' | 'rename' | 'remove'>('view');
  const [name, setName] = useState(c.name);
  const [moveTo, setMoveTo] = useState('');
  if (mode === 'rename') {
    return (
      <li>
        <form className="row" onSubmit={async (e) => { e.preventDefault(); if (await onRename(name)) setMode('view'); }}>
          <label className="visually-hidden" htmlFor={`rename-${c.id}`}>{t('categories.newName', { name: c.name })}</label>
          <input id={`rename-${c.id}`} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} autoFocus />
          <button type="submit" className="primary" disabled={!name.trim()}>{t('save')}</button>
          <button type="button" className="ghost" onClick={() => { setName(c.name); setMode('view'); }}>{t('cancel')}</button>
        </form>
      </li>
    );
  }
  if (mode === 'remove') {
    return (
      <li>
        <div className="confirm" role="group" aria-label={t('categories.removeOne', { name: c.name })}>
          <p>{t('categories.remove.ask', { name: c.name, transactions: c.transactions, rules: c.rules })}</p>
          <label>{t('categories.moveTo')}
            <select value={moveTo} onChange={(e) => setMoveTo(e.target.value)}>
              <option value="">{t('categories.moveTo.none')}</option>
              {others.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
          </label>
          <div className="row">
            <button type="button" className="danger" onClick={() => { void onRemove(moveTo ? Number(moveTo) : null); }}>{t('categories.removeOne', { name: c.name })}</button>
            <button type="button" className="ghost" onClick={() => setMode('view')}>{t('cancel')}</button>
          </div>
        </div>
      </li>
    );
  }
  return (
    <li className="row">
      <span className="grow">{c.name} <span className="muted small">{t('transactions.count', { count: c.transactions })}{c.rules ? ` · ${t('rules.count', { count: c.rules })}` : ''}</span></span>
      <button type="button" className="ghost" aria-label={t('categories.renameOne', { name: c.name })} onClick={() => setMode('rename')}>{t('categories.rename')}</button>
      <button type="button" className="ghost" aria-label={t('categories.removeOne', { name: c.name })} onClick={() => setMode('remove')}>{t('remove')}</button>
    </li>
  );
}

function AddRule({ categories, accounts, onAdd }: {
  categories: CategoryDto[]; accounts: Array<{ id: number; name: string }>; onAdd: (rule: RequestOf<'rules.add'>) => Promise<boolean>;
}) {
  const t = useT();
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
    <form className="form" onSubmit={submit} aria-label={t('rules.new')}>
      <h3>{t('rules.new')}</h3>
      <label htmlFor="rule-text">{t('rules.new.text')}</label>
      <input id="rule-text" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} />
      <div className="row">
        <label>{t('rules.new.from')}<input inputMode="decimal" size={8} value={min} onChange={(e) => setMin(e.target.value)} placeholder="0.00" /></label>
        <label>{t('rules.new.to')}<input inputMode="decimal" size={8} value={max} onChange={(e) => setMax(e.target.value)} placeholder={t('rules.new.any')} /></label>
        <label>{t('tx.direction')}
          <select value={direction} onChange={(e) => setDirection(e.target.value as typeof direction)}>
            <option value="">{t('tx.direction.both')}</option><option value="in">{t('account.in')}</option><option value="out">{t('account.out')}</option>
          </select>
        </label>
      </div>
      <label htmlFor="rule-account">{t('manual.account')}</label>
      <select id="rule-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
        <option value="">{t('rules.new.anyAccount')}</option>
        {accounts.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
      </select>
      <label htmlFor="rule-category">{t('tx.category')}</label>
      <select id="rule-category" value={categoryId} onChange={(e) => setCategoryId(e.target.value)} required>
        <option value="" disabled>{t('link.form.choose')}</option>
        {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </select>
      <button type="submit" disabled={!categoryId}>{t('rules.new.add')}</button>
    </form>
  );
}

/** count first, then apply on a second press */
function ApplyRules({ onApplied }: { onApplied: (n: number) => Promise<boolean> }) {
  const call = useCall();
  const t = useT();
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
      setError(asError(e, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="apply-rules">
      {error ? <ErrorBox error={error} /> : null}
      {pending === null ? (
        <button type="button" disabled={busy} onClick={() => run(true)}>{t('rules.apply.open')}</button>
      ) : (
        <div role="group" aria-label={t('rules.apply.label')} className="row">
          <span className="grow">{t('rules.apply.count', { count: pending })}</span>
          {pending ? <button type="button" className="primary" disabled={busy} onClick={() => run(false)}>{t('rules.apply.do', { count: pending })}</button> : null}
          <button type="button" className="ghost" onClick={() => setPending(null)}>{pending ? t('cancel') : t('ok')}</button>
        </div>
      )}
    </div>
  );
}
