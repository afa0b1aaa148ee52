// Account identifiers as banks print them differ in spacing (and IBANs in case): compare them in one canonical form.

/** IBAN without white space, upper case; null when absent */
export const normIban = (s: string | null | undefined): string | null => (s ? s.replace(/\s+/g, '').toUpperCase() : null);
/** account number without white space and dashes; null when absent */
export const normNumber = (s: string | null | undefined): string | null => (s ? s.replace(/[\s-]+/g, '') : null);
