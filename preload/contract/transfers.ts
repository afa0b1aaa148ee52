// Transfers between the user's own accounts and the balance check (issue 19, parts 2 and 4): requests and results,
// shared by main (main/store/transfers.ts, main/store/balancecheck.ts), the CLI and the renderer.
import { z } from 'zod';
import type { Message } from './message.js';

const id = z.number().int().positive();

export const transferRequests = {
  /** every transfer between own accounts, newest first; of one account when given */
  'transfers.list': z.object({ accountId: id.optional() }).strict(),
  /** the transfer a transaction is a leg of (null: none) */
  'transfers.get': z.object({ transactionId: id }).strict(),
  /** "Not a transfer": both legs count as income and spending again, and are never linked again */
  'transfers.unlink': z.object({ transactionId: id }).strict(),
  /** the user agrees with a suggested (or automatic) link */
  'transfers.confirm': z.object({ transactionId: id }).strict(),
  /** accounts whose bank-reported balances disagree with the synced history between two syncs */
  'accounts.historyGaps': z.object({ accountId: id.optional() }).strict(),
} as const;

/** one leg of a transfer */
export interface TransferLegDto {
  transactionId: number; accountId: number; accountName: string; bankName: string; bookingDate: string;
  amount: number; currency: string; description: string;
}
/**
 * auto: same amount, both legs name the other account's IBAN; suggested: the user may confirm (one leg names nobody,
 * or the currencies differ); confirmed: by the user. rate: across currencies, units of `to`'s currency per unit of `from`'s.
 */
export interface TransferDto { state: 'auto' | 'suggested' | 'confirmed'; rate: string | null; from: TransferLegDto; to: TransferLegDto }

/** Between two balances the bank reported, the booked rows stored do not add up: `missing` (minor units, signed: the
 *  money the stored rows lack) moved between `from` and `to`; `notice` says so in the reader's language, `message` is
 *  its English (scripts, the CLI) */
export interface HistoryGapDto { accountId: number; from: string; to: string; missing: number; currency: string; message: string; notice: Message }

export interface TransferResults {
  'transfers.list': TransferDto[];
  'transfers.get': TransferDto | null;
  'transfers.unlink': null;
  'transfers.confirm': TransferDto;
  'accounts.historyGaps': HistoryGapDto[];
}
