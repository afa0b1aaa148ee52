// How a category rule reads, alike in the app and the CLI: "text contains “rewe” · money out · 5 to 100 · account 3 → Groceries".
import type { RuleDto } from './channels.js';

/** the catalogue's words for a rule's parts (locales/ui) */
export type RuleWord = 'rules.text' | 'rules.in' | 'rules.out' | 'rules.between' | 'rules.atLeast' | 'rules.atMost';

/** a rule's conditions in the reader's language: `say` renders a catalogue word, `accountName` names an account */
export function ruleConditions(r: RuleDto, accountName: (id: number) => string, say: (id: RuleWord, values?: Record<string, string>) => string): string {
  const parts: string[] = [];
  if (r.text) parts.push(say('rules.text', { text: r.text }));
  if (r.direction) parts.push(say(r.direction === 'in' ? 'rules.in' : 'rules.out'));
  if (r.minAmount && r.maxAmount) parts.push(say('rules.between', { min: r.minAmount, max: r.maxAmount }));
  else if (r.minAmount) parts.push(say('rules.atLeast', { min: r.minAmount }));
  else if (r.maxAmount) parts.push(say('rules.atMost', { max: r.maxAmount }));
  if (r.accountId !== null) parts.push(accountName(r.accountId));
  return parts.join(' · ');
}
