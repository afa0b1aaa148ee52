// Issue 19, parts 1 and 3: net worth in one base currency (the ECB's reference rates), and the same bank account
// reached through several connections shown and counted once. Spread into channels.ts's requests and Results.
import { z } from 'zod';
import type { AccountDto } from './channels.js';
import type { Message } from './message.js';

export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'field.currency');

export const networthRequests = {
  /** every shown account in the base currency (default: the preference), the total, and monthly totals */
  'networth.get': z.object({ base: currencyCode.optional(), months: z.number().int().min(1).max(120).optional() }).strict().optional(),
  /** make this account the preferred copy of the same account reached through several connections */
  'accounts.prefer': z.object({ accountId: z.number().int().positive() }).strict(),
};

export interface NetWorthAccountDto {
  accountId: number; currency: string; balance: number | null;
  /** the balance in the base currency, or null (no balance, or no rate: `problem` says which) */
  inBase: number | null;
  /** the day of the rate used (the previous business day's on weekends and holidays) */
  rateDate: string | null;
  /** why inBase is null, in English (scripts); notice: the same as a catalogue message (what a person reads) */
  problem: string | null;
  notice: Message | null;
}
export interface NetWorthPointDto {
  month: string; date: string; total: number;
  /** currencies left out of this point for want of a rate */
  missing: string[];
}
export interface NetWorthDto {
  base: string; date: string;
  /** the sum of the accounts that could be converted */
  total: number;
  accounts: NetWorthAccountDto[];
  /** why accounts are left out of the total ("No rate for BHD: ..."), once each, in English; missingNotices: the same as catalogue messages */
  missing: string[];
  missingNotices: Message[];
  /** the rates could not be fetched now (the kept ones are used), in English; ratesNotice: the same as a catalogue message */
  ratesProblem: string | null;
  ratesNotice: Message | null;
  history: NetWorthPointDto[];
}
/** the copies of one bank account reached through several connections; primaryId is the one shown and counted */
export interface SameAccountDto {
  primaryId: number;
  copies: Array<{ accountId: number; connectionId: number; provider: string; institutionName: string }>;
}

export interface NetworthResults {
  'networth.get': NetWorthDto;
  'accounts.prefer': AccountDto[];
}
