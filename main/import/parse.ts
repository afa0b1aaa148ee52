// Bytes of a statement file -> a Statement: size limit, text encoding, format detection, the format's parser.
import iconv from 'iconv-lite';
import { MAX_STATEMENT_BYTES, type CsvMapping } from '../../preload/contract/imports.js';
import { parseCamt053 } from './formats/camt.js';
import { csvHeader, layoutKey, parseCsv } from './formats/csv.js';
import { parseMt940 } from './formats/mt940.js';
import { parseOfx } from './formats/ofx.js';
import { AppError } from '../domain/errors.js';
import { badFile, checkAddsUp, type Statement, type StatementFormat } from './statement.js';


/** UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, else the given legacy encoding (default windows-1250,
 *  which also reads German umlauts as windows-1252 does). The XML formats declare their own encoding. */
export function decode(bytes: Uint8Array, encoding?: string): string {
  const declared = /^<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(Buffer.from(bytes.subarray(0, 200)).toString('latin1'))?.[1];
  const header = /^ENCODING:\s*(\S+)[\s\S]*?CHARSET:\s*(\d+)/m.exec(Buffer.from(bytes.subarray(0, 400)).toString('latin1'));
  const wanted = encoding ?? declared ?? (header && header[1].toUpperCase() !== 'UTF-8' ? `windows-${header[2]}` : undefined);
  if (wanted && !/^utf-?8$/i.test(wanted)) {
    if (!iconv.encodingExists(wanted)) throw badFile({ id: 'import.unknown_encoding', values: { encoding: wanted } });
    return iconv.decode(Buffer.from(bytes), wanted);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    if (wanted) throw badFile({ id: 'import.not_utf8' });
    return iconv.decode(Buffer.from(bytes), 'windows-1250');
  }
}

export function detectFormat(text: string): StatementFormat {
  const head = text.slice(0, 4000);
  if (/camt\.053\.001/.test(head) || /<BkToCstmrStmt/.test(head)) return 'camt053';
  if (/^\s*<\?xml/.test(head) && /camt\.0(52|54)/.test(head)) throw badFile({ id: 'import.camt_report' });
  if (/OFXHEADER|<OFX>/i.test(head)) return 'ofx';
  if (/^:20:/m.test(head) && /^:(25|60F|60M):/m.test(head)) return 'mt940';
  if (/^\s*</.test(head)) throw badFile({ id: 'import.xml_not_camt' });
  return 'csv';
}

export interface ReadOptions {
  format?: StatementFormat;
  encoding?: string;
  /** the mapping for a CSV file, or where to find the one remembered for its layout */
  csvMapping?: CsvMapping | ((layoutKey: string) => CsvMapping | null);
}

/** Parse a statement file. A CSV file without a mapping is a bad_file error whose detail lists its columns. */
export function readStatement(bytes: Uint8Array, o: ReadOptions = {}): { statement: Statement; csvLayout: { key: string; mapping: CsvMapping } | null } {
  if (bytes.byteLength > MAX_STATEMENT_BYTES) {
    throw badFile({ id: 'import.too_large', values: { mb: Math.round(bytes.byteLength / 1048576), max: MAX_STATEMENT_BYTES / 1048576 } });
  }
  if (bytes.byteLength === 0) throw badFile({ id: 'import.empty' });
  const given = typeof o.csvMapping === 'object' ? o.csvMapping : undefined;
  let text = decode(bytes, o.encoding ?? given?.encoding);
  const format = o.format ?? detectFormat(text);
  let statement: Statement;
  let csvLayout: { key: string; mapping: CsvMapping } | null = null;
  switch (format) {
    case 'camt053': statement = parseCamt053(text); break;
    case 'mt940': statement = parseMt940(text); break;
    case 'ofx': statement = parseOfx(text); break;
    case 'csv': {
      const { headers } = csvHeader(text, given?.delimiter);
      const key = layoutKey(headers);
      const mapping = given ?? (typeof o.csvMapping === 'function' ? o.csvMapping(key) : null);
      if (!mapping) {
        throw new AppError('bad_file', { id: 'error.csv_needs_mapping', values: { columns: headers.join(', ') } }, { headers, needsMapping: true });
      }
      // a remembered mapping may name the encoding the first file of this layout needed
      if (!given && mapping.encoding && !o.encoding) text = decode(bytes, mapping.encoding);
      statement = parseCsv(text, mapping);
      csvLayout = { key, mapping };
      break;
    }
  }
  if (statement.rows.length === 0 && statement.skipped === 0) throw badFile({ id: 'import.no_transactions' });
  checkAddsUp(statement);
  return { statement, csvLayout };
}
