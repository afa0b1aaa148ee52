// The aggregators' raw transaction payloads, kept for the detail panel and for re-mapping stored rows, but not at
// ~1 KB a row: the raws one write step stores (a page of a sync) are compressed together into one raw_pages row, where
// the rows' shared field names and values compress to a few dozen bytes a row. A transaction points at its page
// (raw_page); triggers (migration 18) count each page's live rows and drop a page no row points at any more.
// raw_pages.codec says how a page is compressed (migration 19): 'deflate' (pages written before it), 'brotli' (since).
import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './db.js';

export type RawCodec = 'deflate' | 'brotli';

// brotli quality 1 with a 4 MiB window (a page's text fits): measured on 10,000 finAPI raws (~1 KB each) it packs to
// 37 bytes a row in 0.7 µs of CPU, where deflate level 1 took 54 bytes in 1.6 µs; quality 5 gets 28 bytes for 5 µs a row
const BROTLI = {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 1,
    [constants.BROTLI_PARAM_LGWIN]: 22,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
  },
};

function pageText(entries: ReadonlyArray<readonly [id: number, raw: string]>): Buffer {
  // one string encoded once (not a buffer per row and a concat)
  return Buffer.from(entries.map(([id, raw]) => `${id}\t${raw}`).join('\n'));
}

/** One page's raws as `<transaction id>\t<raw JSON>` lines (JSON has no raw line breaks), compressed with `codec`. */
export function packRaws(entries: ReadonlyArray<readonly [id: number, raw: string]>, codec: RawCodec = 'brotli'): Buffer {
  const text = pageText(entries);
  return codec === 'brotli' ? brotliCompressSync(text, BROTLI) : deflateRawSync(text, { level: 1 });
}

const unpack = (packed: Buffer, codec: RawCodec): string =>
  (codec === 'brotli' ? brotliDecompressSync(packed) : inflateRawSync(packed)).toString();

/** The raw JSON of transaction `id` in a packed page, or null when the page does not hold it. */
export function unpackRaw(packed: Buffer, id: number, codec: RawCodec): string | null {
  const text = `\n${unpack(packed, codec)}\n`;
  const at = text.indexOf(`\n${id}\t`);
  if (at < 0) return null;
  const start = at + String(id).length + 2;
  return text.slice(start, text.indexOf('\n', start));
}

/** Every raw of a packed page by transaction id (re-mapping stored rows reads them page by page). */
export function rawsOfPage(packed: Buffer, codec: RawCodec): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of unpack(packed, codec).split('\n')) {
    const tab = line.indexOf('\t');
    out.set(Number(line.slice(0, tab)), line.slice(tab + 1));
  }
  return out;
}

/**
 * The functions migration 18 calls: `mb_pack_raws(id, raw_json)`, the aggregate that packs the raws already stored
 * (NULLs skipped; no rows: NULL) with deflate (raw_pages had no codec column yet: migration 19 marks those pages
 * 'deflate'), and `mb_hash48(text)`, a stored base64 SHA-1 prefix as a blob of its first 6 bytes (shorter or other
 * text: NULL, which the next sync of the row replaces).
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
    result: (acc: Array<[number, string]>) => (acc.length ? packRaws(acc, 'deflate') : null),
  });
}
