// The aggregators' raw transaction payloads, kept for the detail panel and for re-mapping stored rows, but not at
// ~1 KB a row: the raws one write step stores (a page of a sync) are deflated together into one raw_pages row, where
// the rows' shared field names and values compress to ~60 bytes a row. A transaction points at its page (raw_page);
// triggers (migration 18) count each page's live rows and drop a page no row points at any more.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './db.js';

// level 1: a page packs in ~2 ms; higher levels save a few bytes a row for several times the time
const LEVEL = 1;

/** One page's raws as `<transaction id>\t<raw JSON>` lines (JSON has no raw line breaks), deflated. */
export function packRaws(entries: ReadonlyArray<readonly [id: number, rawJson: string]>): Buffer {
  let text = '';
  for (const [id, json] of entries) text += `${text ? '\n' : ''}${id}\t${json}`;
  return deflateRawSync(text, { level: LEVEL });
}

/** The raw JSON of transaction `id` in a packed page, or null when the page does not hold it. */
export function unpackRaw(packed: Buffer, id: number): string | null {
  const text = `\n${inflateRawSync(packed).toString()}\n`;
  const at = text.indexOf(`\n${id}\t`);
  if (at < 0) return null;
  const start = at + String(id).length + 2;
  return text.slice(start, text.indexOf('\n', start));
}

/** Every raw of a packed page by transaction id (re-mapping stored rows reads them page by page). */
export function rawsOfPage(packed: Buffer): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of inflateRawSync(packed).toString().split('\n')) {
    const tab = line.indexOf('\t');
    out.set(Number(line.slice(0, tab)), line.slice(tab + 1));
  }
  return out;
}

/**
 * The functions migration 18 calls: `mb_pack_raws(id, raw_json)`, the aggregate that packs the raws already stored
 * (NULLs skipped; no rows: NULL), and `mb_hash48(text)`, a stored base64 SHA-1 prefix as a blob of its first 6 bytes
 * (shorter or other text: NULL, which the next sync of the row replaces).
 */
export function registerMigrationFunctions(db: Db): void {
  db.function('mb_hash48', { deterministic: true }, (text: unknown) => {
    if (typeof text !== 'string' || !/^[A-Za-z0-9+/]{8}/.test(text)) return null;
    return Buffer.from(text.slice(0, 8), 'base64');
  });
  db.aggregate('mb_pack_raws', {
    start: () => [] as Array<[number, string]>,
    step: ((acc: Array<[number, string]>, id: number, raw: string | null) => {
      if (raw !== null) acc.push([id, raw]);
      return acc;
    }) as (acc: Array<[number, string]>, ...row: unknown[]) => Array<[number, string]>,
    result: (acc: Array<[number, string]>) => (acc.length ? packRaws(acc) : null),
  });
}
