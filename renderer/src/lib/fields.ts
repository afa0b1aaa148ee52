// Credentials forms are built from the provider's field list; validation follows each field's `required` and `regex`.
import type { FormFieldDto } from '../../../preload/contract/channels.js';

/** The message to show under a field, or null when the value is acceptable. */
export function validateField(field: FormFieldDto, value: string): string | null {
  const v = value ?? '';
  if (!v.trim()) return field.required ? `${field.label} is required.` : null;
  if (field.regex) {
    let re: RegExp;
    try { re = new RegExp(`^(?:${field.regex})$`, 'u'); } catch { return null; } // a regex we cannot read must not block the user
    if (!re.test(v)) return `${field.label} does not have the expected format.`;
  }
  if (field.type === 'list' && field.values && !field.values.some((o) => o.value === v)) return `Choose one of the options for ${field.label}.`;
  return null;
}

export function validateFields(fields: FormFieldDto[], values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const msg = validateField(f, values[f.name] ?? '');
    if (msg) errors[f.name] = msg;
  }
  return errors;
}
