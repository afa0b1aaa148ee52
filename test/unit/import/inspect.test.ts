// import.inspect: the format of a file, and for a CSV its columns and the mapping remembered for that layout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectStatement } from '../../../main/import/importer.js';
import { rememberLayout } from '../../../main/store/imports.js';
import { cleanupDirs, freshDb } from '../sync/scripted.js';
import { DE_CSV } from './mappings.js';

afterEach(cleanupDirs);
const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/statements', name)));

describe('inspecting a statement file', () => {
  it('names the format; a CSV gets its columns and, once remembered, its mapping', () => {
    const { db } = freshDb();
    expect(inspectStatement(db, fixture('camt053-de.xml'))).toEqual({ format: 'camt053', headers: null, mapping: null });
    expect(inspectStatement(db, fixture('mt940-pl.sta')).format).toBe('mt940');
    expect(inspectStatement(db, fixture('ofx102-de.ofx')).format).toBe('ofx');
    const csv = inspectStatement(db, fixture('csv-de.csv'));
    expect(csv).toEqual({ format: 'csv', headers: ['Buchungstag', 'Wertstellung (Valuta)', 'Vorgang', 'Buchungstext', 'Umsatz in EUR'], mapping: null });
    rememberLayout(db, 'buchungstag|wertstellung (valuta)|vorgang|buchungstext|umsatz in eur', DE_CSV, '2026-04-02T09:00:00.000Z');
    expect(inspectStatement(db, fixture('csv-de.csv')).mapping).toEqual(DE_CSV);
  });

  it('reads a large file’s columns from its head, cut at a line end (a multi-byte character is never split)', () => {
    const { db } = freshDb();
    const body = 'Buchungstag;Empfänger;Verwendungszweck;Betrag\n' + '01.02.2026;Bäckerei Süß;Brötchen für alle;-1,00\n'.repeat(8000);
    expect(inspectStatement(db, new TextEncoder().encode(body)).headers).toEqual(['Buchungstag', 'Empfänger', 'Verwendungszweck', 'Betrag']);
  });
});
