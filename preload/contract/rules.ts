// How a category rule reads, alike in the app and the CLI: "text contains “rewe” · money out · 5 to 100 · account 3 → Groceries".
import type { RuleDto } from './channels.js';

export function ruleConditions(r: RuleDto, accountName: (id: number) => string = (id) => `account ${id}`): string {
  const parts: string[] = [];
  if (r.text) parts.push(`text contains “${r.text}”`);
  if (r.direction) parts.push(r.direction === 'in' ? 'money in' : 'money out');
  if (r.minAmount && r.maxAmount) parts.push(`amount ${r.minAmount} to ${r.maxAmount}`);
  else if (r.minAmount) parts.push(`amount at least ${r.minAmount}`);
  else if (r.maxAmount) parts.push(`amount at most ${r.maxAmount}`);
  if (r.accountId !== null) parts.push(accountName(r.accountId));
  return parts.join(' · ');
}
