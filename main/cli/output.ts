// What the CLI prints: aligned tables, JSON, a progress bar on a terminal, and the one error line.
import { formatMinor } from '../domain/money.js';

export interface Out {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number };
}

/** "1234.50 EUR" in English (what scripts have always read), "1.234,50 EUR" in German: the language's digits, the code after */
export function moneyIn(language: string, minor: number | null | undefined, currency: string): string {
  if (minor == null) return '';
  const plain = formatMinor(minor, currency);
  if (language === 'en') return `${plain} ${currency}`;
  const digits = plain.split('.')[1]?.length ?? 0;
  return `${new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(Number(plain))} ${currency}`;
}

/** a YYYY-MM-DD date as the language writes it (English keeps ISO, as scripts read it) */
export const dateIn = (language: string, iso: string): string =>
  language === 'en' ? iso : new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso.slice(0, 10)}T00:00:00Z`));

/** Columns padded to their widest cell; numbers (and money) right-aligned. */
export function table(rows: Array<Record<string, unknown>>, columns: Array<{ key: string; title: string; right?: boolean }>): string {
  if (rows.length === 0) return '';
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v)).replace(/[\r\n\t]+/g, ' ');
  const widths = columns.map((c) => Math.max(c.title.length, ...rows.map((r) => cell(r[c.key]).length)));
  const line = (vals: string[]) => vals.map((v, i) => (columns[i].right ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c.key]))))].join('\n') + '\n';
}

/** A one-line progress bar rewritten in place on a terminal; silent elsewhere. */
export function progressBar(stream: Out['stderr']) {
  let shown = false;
  return {
    update(fraction: number, label: string) {
      if (!stream.isTTY) return;
      const width = 24;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
      const text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${label}`;
      const max = (stream.columns ?? 100) - 1;
      stream.write(`\r\x1b[2K${text.length > max ? text.slice(0, max) : text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
