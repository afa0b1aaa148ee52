// Credentials forms are built from the provider's field list; validation follows each field's `required` and `regex`.
import type { FormFieldDto } from '../../../preload/contract/channels.js';
import type { Translate } from '../app/i18n.js';

/** The message to show under a field, or null when the value is acceptable. */
export function validateField(field: FormFieldDto, value: string, t: Translate): string | null {
  const v = value ?? '';
  const label = field.label;
  if (!v.trim()) return field.required ? t('field.required', { label }) : null;
  if (field.regex) {
    let re: RegExp;
    try { re = new RegExp(`^(?:${field.regex})$`, 'u'); } catch { return null; } // a regex we cannot read must not block the user
    if (!re.test(v)) return t('field.format', { label });
  }
  if (field.type === 'list' && field.values && !field.values.some((o) => o.value === v)) return t('field.choose', { label });
  return null;
}

export function validateFields(fields: FormFieldDto[], values: Record<string, string>, t: Translate): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const msg = validateField(f, values[f.name] ?? '', t);
    if (msg) errors[f.name] = msg;
  }
  return errors;
}
