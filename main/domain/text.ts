// Text as matching sees it: no accents, no case, words separated by single spaces.

const DIACRITICS = /[\u0300-\u036f]/g;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
export function normalizeText(s: string | null | undefined): string {
  if (!s) return '';
  return s.normalize('NFKD').replace(DIACRITICS, '').toLowerCase().replace(NON_WORD, ' ').trim();
}
