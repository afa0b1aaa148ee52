// Importing bank statement files (issue 21): the request, the CSV column mapping and the result, shared by main
// (main/import), the CLI and the renderer.
import { z } from 'zod';

export const STATEMENT_FORMATS = ['camt053', 'mt940', 'ofx', 'csv'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];
export const DATE_FORMATS = ['YYYY-MM-DD', 'DD.MM.YYYY', 'DD.MM.YY', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD-MM-YYYY', 'YYYYMMDD'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Larger files are refused before they are read (a year of a busy business account is a few MB). */
export const MAX_STATEMENT_BYTES = 32 * 1024 * 1024;

const column = z.string().min(1).max(100);
/** A bank CSV layout's columns, named by their header text; remembered per layout once an import with it succeeds. */
export const csvMapping = z.object({
  date: column,
  valueDate: column.optional(),
  /** one signed amount column ... */
  amount: column.optional(),
  /** ... or money-out and money-in columns */
  debit: column.optional(),
  credit: column.optional(),
  /** a column marking the direction ("S"/"H", "D"/"C"...); debitValues mean money out, creditValues money in (when
   *  both are given, any other value is an error) */
  directionColumn: column.optional(),
  debitValues: z.array(z.string().max(40)).max(10).optional(),
  creditValues: z.array(z.string().max(40)).max(10).optional(),
  /** joined with spaces, in this order */
  description: z.array(column).min(1).max(10),
  counterparty: column.optional(),
  counterpartyIban: column.optional(),
  reference: column.optional(),
  /** a currency column, else the fixed `currency` */
  currencyColumn: column.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  dateFormat: z.enum(DATE_FORMATS),
  decimal: z.enum(['.', ',']),
  /** default: guessed from the header line */
  delimiter: z.enum([';', ',', '\t', '|']).optional(),
  /** default: UTF-8 when the bytes are valid UTF-8, else windows-1250 */
  encoding: z.string().max(40).optional(),
}).strict();
export type CsvMapping = z.infer<typeof csvMapping>;

/** A manual account: currency default the file's; IBAN default the one the file names (a different one is refused). */
export const newManualAccount = z.object({
  name: z.string().trim().min(1, 'field.account_name_empty').max(100, 'field.account_name_long'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'field.account_currency').optional(),
  iban: z.string().trim().max(42).regex(/^[A-Za-z]{2}\d{2}[A-Za-z0-9 ]{10,36}$/, 'field.iban').optional(),
  bankName: z.string().trim().min(1).max(100).optional(),
}).strict();
export type NewManualAccount = z.infer<typeof newManualAccount>;

export const statementImport = z.object({
  fileName: z.string().min(1).max(260),
  /** the file's bytes, base64: the renderer reads the file the user picked, so main never opens a path the renderer names */
  content: z.string().max(Math.ceil(MAX_STATEMENT_BYTES / 3) * 4 + 4),
  /** default: the account whose IBAN the file names */
  accountId: z.number().int().positive().optional(),
  /** create a manual account (no connection) for the file, for a bank no aggregator covers */
  newAccount: newManualAccount.optional(),
  /** default: recognised from the content */
  format: z.enum(STATEMENT_FORMATS).optional(),
  encoding: z.string().max(40).optional(),
  /** default: the mapping remembered for this CSV layout */
  csvMapping: csvMapping.optional(),
}).strict();

export interface ImportRowDto { bookingDate: string; amount: number; currency: string; description: string; counterpartyName: string | null }

/** What an import adds (or, in a preview, would add). */
export interface ImportResultDto {
  /** null in a preview */
  importId: number | null;
  runId: number | null;
  dryRun: boolean;
  fileName: string;
  format: StatementFormat;
  accountId: number;
  accountName: string;
  /** the account is created by this import (a manual account) */
  newAccount: boolean;
  iban: string | null;
  currency: string;
  dateFrom: string | null;
  dateTo: string | null;
  /** rows new to the account / already there (from a sync or an earlier import) / in the file but not movements */
  added: number;
  matched: number;
  skipped: number;
  /** the first rows that are added */
  sample: ImportRowDto[];
  /** the file's closing balance, and the account's balance on that day after the import (null when the account has no
   *  balance of its own to compare: then the file's becomes its balance) */
  closing: { amount: number; date: string } | null;
  balanceAfter: number | null;
}

export interface StatementImportDto {
  id: number; accountId: number; runId: number | null; fileName: string; format: StatementFormat; importedAt: string;
  dateFrom: string | null; dateTo: string | null; added: number; matched: number; skipped: number; undoneAt: string | null;
}

/** import.inspect: the file's format; for a CSV its columns and the remembered mapping of that layout (or null) */
export interface ImportInspectDto { format: StatementFormat; headers: string[] | null; mapping: CsvMapping | null }
