// `multibank import FILE` and `multibank imports`: a preview, the import, the list, undo; a broken file is ONE
// stderr line naming the place at fault, a non-zero exit, and nothing written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedGirokonto } from '../../helpers/seed.js';
import { inProcessCli } from './in-process.js';
import { testNow } from '../../helpers/clock.js';

const NOW = testNow('2026-04-02T09:00:00.000Z');
const fixtures = join(import.meta.dirname, '../../fixtures/statements');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** a data dir whose database has one account with the German fixtures' IBAN */
function dataDirWithAccount(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mb-cli-import-'));
  dirs.push(dir);
  seedGirokonto(dir);
  return dir;
}

describe('multibank import', () => {
  it('previews with --dry-run, imports, lists and undoes', async () => {
    const run = inProcessCli(dataDirWithAccount(), undefined, { now: () => NOW });
    const file = join(fixtures, 'camt053-de.xml');
    const preview = await run(['import', file, '--dry-run']);
    expect(preview).toMatchObject({ code: 0, err: '' });
    expect(preview.out).toBe([
      'camt053-de.xml (camt053) into Girokonto (account 1), 2026-03-02 to 2026-03-20: would add 4, 0 already there, 1 skipped.',
      'The file\'s closing balance 3042.51 EUR on 2026-03-31 would become the account\'s balance on that day.',
      'Nothing was written (--dry-run).', ''].join('\n'));
    expect(JSON.parse((await run(['imports', 'list', '--json'])).out)).toEqual([]);
    const done = await run(['import', file]);
    expect(done.out).toContain('added 4, 0 already there, 1 skipped.');
    expect(done.out).toContain('Undo with `multibank imports undo 1`.');
    const again = await run(['import', file]);
    expect(again.out).toContain('added 0, 4 already there, 1 skipped.');
    expect(again.out).toContain('Balance on 2026-03-31 after the import: 3042.51 EUR, as the file\'s closing balance.');
    const list = await run(['imports', 'list']);
    expect(list.out.split('\n')[0]).toMatch(/^\s*ID\s+ACCOUNT\s+FILE\s+FORMAT\s+FROM\s+TO\s+ADDED\s+MATCHED\s+SKIPPED$/);
    expect((await run(['imports', 'undo', '1'])).out).toBe('Removed 4 transactions that camt053-de.xml had added.\n');
    expect(JSON.parse((await run(['transactions', 'list', '--json'])).out)).toEqual([]);
  });

  it('a CSV with --map; a broken file, a missing file and an unmapped CSV are one stderr line each', async () => {
    const run = inProcessCli(dataDirWithAccount(), undefined, { now: () => NOW });
    const csv = join(fixtures, 'csv-de.csv');
    const unmapped = await run(['import', csv]);
    expect(unmapped.code).not.toBe(0);
    expect(unmapped.err.trim().split('\n')).toHaveLength(1);
    expect(unmapped.err).toMatch(/have no mapping yet/);
    const mapped = await run(['import', csv, '--map', 'date=Buchungstag', '--map', 'amount=Umsatz in EUR', '--map', 'description=Vorgang',
      '--map', 'description=Buchungstext', '--map', 'currency=EUR', '--map', 'dateFormat=DD.MM.YYYY', '--map', 'decimal=,', '--json']);
    expect(JSON.parse(mapped.out)).toMatchObject({ format: 'csv', added: 4 });
    // the layout's mapping is remembered
    expect(JSON.parse((await run(['import', csv, '--json'])).out)).toMatchObject({ added: 0, matched: 4 });

    const broken = await run(['import', join(fixtures, 'camt053-bad-amount.xml')]);
    expect(broken.code).not.toBe(0);
    expect(broken.err.trim().split('\n')).toHaveLength(1);
    expect(broken.err).toMatch(/line 57 \(Stmt 1 Ntry 2\): "890,00" is not an amount in EUR\. Nothing was imported\./);
    expect((await run(['import', join(fixtures, 'no-such.xml')])).err).toMatch(/There is no file .*no-such\.xml/);
    expect(JSON.parse((await run(['imports', 'list', '--json'])).out)).toHaveLength(2);
  });

  it('a CSV with a debit/credit column: --map debitValues and creditValues repeat; a value in neither is refused', async () => {
    const run = inProcessCli(dataDirWithAccount(), undefined, { now: () => NOW });
    const map = (credit: string) => ['date=Dátum zaúčtovania', 'amount=Suma', 'directionColumn=Typ', 'debitValues=Debet', 'debitValues=DB', `creditValues=${credit}`,
      'description=Správa pre prijímateľa', 'description=Poznámka', 'counterparty=Protistrana', 'currency=EUR', 'dateFormat=DD.MM.YYYY', 'decimal=,']
      .flatMap((m) => ['--map', m]);
    const done = await run(['import', join(fixtures, 'csv-sk-direction.csv'), '--account', '1', ...map('Kredit'), '--json']);
    expect(JSON.parse(done.out)).toMatchObject({ format: 'csv', added: 3 });
    const rows = JSON.parse((await run(['transactions', 'list', '--json'])).out) as Array<{ amount: number; description: string }>;
    expect(rows.map((r) => [r.amount, r.description]).sort()).toEqual([[-1290, 'platba kartou'], [-45000, 'Nájom apríl byt 12'], [125000, 'Mzda 03/2026']].sort());
    const odd = await run(['import', join(fixtures, 'csv-sk-direction.csv'), '--account', '1', ...map('Haben')]);
    expect(odd.code).not.toBe(0);
    expect(odd.err).toMatch(/line 2: "Kredit" in the Typ column is neither a debit \(Debet, DB\) nor a credit \(Haben\) value/);
  });
});
