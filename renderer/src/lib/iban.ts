/** "DE89 •••• •••• 3000": country, check digits and the last four, so accounts are recognisable but not exposed. */
export function maskIban(iban: string | null | undefined): string | null {
  if (!iban) return null;
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (compact.length <= 8) return compact;
  return `${compact.slice(0, 4)} •••• ${compact.slice(-4)}`;
}

/** IBAN in groups of four for the detail panel. */
export function groupIban(iban: string | null | undefined): string {
  if (!iban) return '—';
  return iban.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}
