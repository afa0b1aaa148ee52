// The lint rule that keeps the renderer's words in the catalogue (locales/ui), exercised on sample components.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
async function violations(code: string, filePath = 'renderer/src/features/x/X.tsx'): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
}
const component = (jsx: string) => `import { useT } from '../../app/i18n.js';\nexport function X({ on, n }: { on: boolean; n: number }) {\n  const t = useT();\n  return ${jsx};\n}\n`;

describe('words only from the catalogue', () => {
  it('stops English in JSX text, in a child expression and its branches, and in label-like attributes', async () => {
    expect(await violations(component('<p>Hello there</p>'))).toBe(1);
    expect(await violations(component("<p>{on ? 'Syncing…' : t('sync.now')}</p>"))).toBe(1);
    expect(await violations(component("<p>{n ?? 'none'}</p>"))).toBe(1);
    expect(await violations(component('<p>{`${n} accounts`}</p>'))).toBe(1);
    expect(await violations(component('<input aria-label="Close" placeholder="Bank name" />'))).toBe(2);
    expect(await violations(component("<img alt={on ? 'Logo' : ''} title={`Rule ${n}`} />"))).toBe(2);
  });
  it('stops English in the errors the renderer makes itself, and in alert/confirm', async () => {
    expect(await violations("export const e = { code: 'internal', message: 'Could not save.', action: null };", 'renderer/src/x.ts')).toBe(1);
    expect(await violations("export const ask = () => confirm('Delete everything?');", 'renderer/src/x.ts')).toBe(1);
  });
  it('lets through catalogue keys, values, punctuation, addresses and code', async () => {
    expect(await violations(component("<p className={on ? 'ok-text' : 'muted'} aria-current={on ? 'page' : undefined}>{t('sync.now')} · {n} {t(on ? 'tx.booked' : 'tx.pending')}</p>"))).toBe(0);
    expect(await violations(component('<input placeholder="https://…" aria-label={t(`nav.${n}`)} />'))).toBe(0);
    expect(await violations(component('<option value="csv">CSV</option>'))).toBe(0);
    expect(await violations("export const e = { code: 'internal', message: t('save.failed'), action: null };", 'renderer/src/x.ts')).toBe(0);
  });
  it('applies to the renderer only', async () => {
    expect(await violations(component('<p>Hello there</p>'), 'test/unit/renderer/x.test.tsx')).toBe(0);
  });
});
