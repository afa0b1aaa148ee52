// The column mappings of the German and Polish CSV fixtures (test/fixtures/statements), as a user would set them once.
import type { CsvMapping } from '../../../preload/contract/imports.js';

export const DE_CSV: CsvMapping = { date: 'Buchungstag', valueDate: 'Wertstellung (Valuta)', amount: 'Umsatz in EUR', description: ['Buchungstext'], currency: 'EUR', dateFormat: 'DD.MM.YYYY', decimal: ',' };
export const PL_CSV: CsvMapping = { date: 'Data operacji', valueDate: 'Data waluty', amount: 'Kwota', description: ['Opis transakcji'], counterparty: 'Nadawca/Odbiorca', currency: 'PLN', dateFormat: 'YYYY-MM-DD', decimal: ',' };
