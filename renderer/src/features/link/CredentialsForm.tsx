// A form the aggregator describes field by field (labels, required, regex, option lists). A skippable one (an extra
// sign-in for more accounts) says so in its heading and offers Skip beside it; skipping sends no values.
import { useState, type FormEvent } from 'react';
import type { FormFieldDto } from '../../../../preload/contract/channels.js';
import { validateFields } from '../../lib/fields.js';
import { useT } from '../../app/i18n.js';

export function CredentialsForm({ fields, message, skippable = false, busy, onSubmit, onCancel }: {
  fields: FormFieldDto[]; message?: string; skippable?: boolean; busy: boolean; onSubmit: (values: Record<string, string>) => void; onCancel: () => void;
}) {
  const t = useT();
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState(false);

  function submit(e: FormEvent) {
    e.preventDefault();
    const errs = validateFields(fields, values, t);
    setErrors(errs);
    setTouched(true);
    if (!Object.keys(errs).length) onSubmit(values);
  }
  const set = (name: string, v: string) => {
    const next = { ...values, [name]: v };
    setValues(next);
    if (touched) setErrors(validateFields(fields, next, t));
  };

  return (
    <form className="form card" onSubmit={submit} noValidate aria-label={skippable ? t('link.form.more') : t('link.form.signIn')}>
      {skippable ? <h2>{t('link.form.more')}</h2> : null}
      {message ? <p>{message}</p> : null}
      {fields.map((f) => {
        const id = `field-${f.name}`;
        const err = errors[f.name];
        return (
          <div key={f.name} className="field">
            <label htmlFor={id}>{f.label}{f.required ? <span aria-hidden="true"> *</span> : null}</label>
            {f.type === 'list' ? (
              <select id={id} value={values[f.name] ?? ''} onChange={(e) => set(f.name, e.target.value)} aria-invalid={!!err} aria-describedby={err ? `${id}-err` : undefined} required={f.required}>
                <option value="">{t('link.form.choose')}</option>
                {(f.values ?? []).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
            ) : (
              <input
                id={id} type={f.type === 'password' ? 'password' : f.type === 'date' ? 'date' : 'text'} inputMode={f.type === 'number' ? 'numeric' : undefined}
                autoComplete={f.type === 'password' ? 'current-password' : 'off'} value={values[f.name] ?? ''} required={f.required}
                onChange={(e) => set(f.name, e.target.value)} aria-invalid={!!err} aria-describedby={err ? `${id}-err` : undefined}
              />
            )}
            {err ? <p id={`${id}-err`} className="field-error">{err}</p> : null}
          </div>
        );
      })}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>{busy ? t('link.form.sending') : skippable ? t('link.form.addThem') : t('continue')}</button>
        {skippable ? <button type="button" disabled={busy} onClick={() => onSubmit({})}>{t('link.form.skip')}</button> : null}
        <button type="button" onClick={onCancel}>{skippable ? t('link.form.cancelLinking') : t('cancel')}</button>
      </div>
    </form>
  );
}
