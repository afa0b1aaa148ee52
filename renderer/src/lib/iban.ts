export { maskIban } from '../../../preload/contract/iban.js';

/** IBAN in groups of four for the detail panel. */
export function groupIban(iban: string | null | undefined): string {
  if (!iban) return '—';
  return iban.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}
