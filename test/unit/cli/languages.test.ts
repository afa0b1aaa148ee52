// The CLI speaks the person's language: --lang first, then LC_ALL / LC_MESSAGES / LANG, else English.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { cliLanguage } from '../../../main/cli/program.js';
import { seedGirokonto } from '../../helpers/seed.js';
import { inProcessCli } from './in-process.js';
import { testNow } from '../../helpers/clock.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-cli-lang-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const NOW = testNow('2026-04-02T09:00:00.000Z');
const statement = join(import.meta.dirname, '../../fixtures/statements/camt053-de.xml');
/** a data dir with one account under the statement fixture's IBAN */
function dataDirWithAccount(): string {
  const dir = tempDir();
  seedGirokonto(dir);
  return dir;
}
/** a table's header row, split into its column titles */
const header = (out: string) => out.split('\n')[0].trim().split(/ {2,}/);

describe('the CLI in five languages', () => {
  it('picks the language from --lang, else the POSIX locale variables, else English', () => {
    expect(cliLanguage(['accounts', 'list'], {})).toBe('en');
    expect(cliLanguage(['accounts', 'list'], { LANG: 'de_DE.UTF-8' })).toBe('de');
    expect(cliLanguage(['accounts', 'list'], { LANG: 'de_DE.UTF-8', LC_MESSAGES: 'sk_SK.UTF-8' })).toBe('sk');
    expect(cliLanguage(['accounts', 'list'], { LANG: 'de_DE.UTF-8', LC_ALL: 'C' })).toBe('de'); // C says nothing about language
    expect(cliLanguage(['--lang', 'pl', 'accounts', 'list'], { LC_ALL: 'fr_FR.UTF-8' })).toBe('pl');
    expect(cliLanguage(['--lang=fr', 'accounts', 'list'], {})).toBe('fr');
    expect(cliLanguage(['accounts', 'list'], { LANG: 'ja_JP.UTF-8' })).toBe('en');
  });

  it('prints the same command\'s result and error in German and Polish', async () => {
    const cli = inProcessCli(tempDir());
    expect((await cli(['accounts', 'list'])).out).toBe('No accounts.\n');
    expect((await cli(['--lang', 'de', 'accounts', 'list'])).out).toBe('Keine Konten.\n');
    expect((await cli(['accounts', 'list'], undefined, { env: { LANG: 'pl_PL.UTF-8' } })).out).toBe('Brak rachunków.\n');

    const en = await cli(['transactions', 'list', '--account', '99']);
    expect(en.code).toBe(1);
    expect(en.err).toBe('multibank: No account with id 99. Run `multibank accounts list` to see them. [not_found]\n');
    const de = await cli(['--lang', 'de', 'transactions', 'list', '--account', '99']);
    expect(de.err).toBe('multibank: Kein Konto mit der ID 99. Mit `multibank accounts list` sehen Sie die Konten. [not_found]\n');
    const pl = await cli(['transactions', 'list', '--account', '99'], undefined, { env: { LC_ALL: 'pl_PL.UTF-8' } });
    expect(pl.err).toBe('multibank: Brak rachunku o identyfikatorze 99. Listę wyświetla polecenie `multibank accounts list`. [not_found]\n');
    // an error from main (the service, through the dispatcher) in the same language
    const gone = await cli(['--lang', 'de', 'backup', 'restore', 'multibank-nope.db', '--yes']);
    expect(gone.err).toBe('multibank: Es gibt keine Sicherung namens multibank-nope.db. Sehen Sie in der Liste der Sicherungen nach. [not_found]\n');
  }, 30_000);

  it('prints tables, lists and import results in German, Polish, French and Slovak; --json stays the same in every language', async () => {
    const run = inProcessCli(dataDirWithAccount(), undefined, { now: () => NOW });
    expect((await run(['--lang', 'de', 'import', statement, '--dry-run'])).out).toBe([
      'camt053-de.xml (camt053) in Girokonto (Konto 1), 02.03.2026 bis 20.03.2026: würde 4 hinzufügen, 0 bereits vorhanden, 1 übersprungen.',
      'Der Schlusssaldo der Datei (3.042,51 EUR am 31.03.2026) würde der Kontostand des Kontos an diesem Tag werden.',
      'Es wurde nichts geschrieben (--dry-run).', ''].join('\n'));
    expect((await run(['--lang', 'pl', 'import', statement])).out).toContain('dodane 4, istniejące 0, pominięte 1.\nSaldo końcowe z pliku, 3042,51 EUR na dzień 31 mar 2026, jest teraz saldem rachunku w tym dniu.\nCofnięcie importu: `multibank imports undo 1`.');

    const de = await run(['--lang', 'de', 'transactions', 'list']);
    expect(header(de.out)).toEqual(['ID', 'DATUM', 'KONTO', 'BETRAG', 'STATUS', 'ZAHLUNGSPARTNER', 'VERWENDUNGSZWECK', 'KATEGORIE']);
    expect(de.out).toMatch(/20\.03\.2026\s+1\s+256,88 EUR\s+Finanzamt Nord/);
    expect(header((await run(['--lang', 'pl', 'imports', 'list'])).out)).toEqual(['ID', 'RACHUNEK', 'PLIK', 'FORMAT', 'OD', 'DO', 'DODANE', 'ISTNIEJĄCE', 'POMINIĘTE']);
    expect(header((await run(['--lang', 'pl', 'providers', 'list'])).out)).toEqual(['ID', 'NAZWA', 'SKONFIGUROWANY', 'ADRES BAZOWY', 'ID KLIENTA', 'OPCJE']);
    expect((await run(['--lang', 'pl', 'providers', 'list'])).out).toMatch(/^powens\s+Powens\s+nie$/m);
    const fr = await run(['--lang', 'fr', 'backup', 'list']);
    expect(header(fr.out)).toEqual(['NOM', 'CRÉÉE (UTC)', 'GENRE', 'TAILLE']);
    expect(fr.out).toContain('quotidienne');
    const sk = await run(['--lang', 'sk', 'log']);
    expect(header(sk.out)).toEqual(['BEH', 'ZAČIATOK', 'BANKA', 'SPUSTENÉ', 'VÝSLEDOK', 'NOVÉ/AKT./VYRAD.', 'NEPREČÍTANÉ', 'CHYBA']);
    expect((await run(['--lang', 'sk', 'transfers'])).out).toBe('Nenašli sa žiadne prevody medzi Vašimi účtami.\n');

    const conns = (await run(['--lang', 'fr', 'connections', 'list'])).out;
    expect(header(conns)).toEqual(['ID', 'AGRÉGATEUR', 'BANQUE', 'ÉTAT', 'EXPIRATION DE L’ACCÈS', 'COMPTES', 'DERNIÈRE SYNCHRO', 'REMARQUE']);
    expect(conns).toMatch(/^ *1 +powens +Musterbank +actif +1 +jamais$/m);
    const worth = (await run(['--lang', 'de', 'networth', '--base', 'EUR'])).out;
    expect(header(worth)).toEqual(['ID', 'BANK', 'NAME', 'SALDO', 'IN EUR', 'KURS VOM', 'HINWEIS']);
    expect(worth).toContain('Vermögen: 0,00 EUR am 02.04.2026\nMonatsenden:\n');

    expect((await run(['--lang', 'pl', 'rules', 'add', '--category', 'Groceries', '--text', 'rewe', '--direction', 'out'])).out)
      .toBe('Dodano regułę 1: tekst zawiera „rewe” · wydatek → Groceries. Zastosowanie do wcześniejszych transakcji: `multibank rules apply`.\n');
    const rules = (await run(['--lang', 'pl', 'rules', 'list'])).out;
    expect(header(rules)).toEqual(['ID', 'WARUNEK', 'KATEGORIA']);
    // Polish counts none with the genitive plural
    expect((await run(['--lang', 'pl', 'rules', 'apply', '--dry-run'])).out).toBe('0 transakcji otrzymałoby kategorię z reguł.\n');
    expect((await run(['--lang', 'sk', 'demo', '--status'])).out).toBe('Demo banky tu nie sú nastavené. Spustite ich príkazom `multibank demo`.\n');

    // what scripts read does not change with the language
    for (const args of [['transactions', 'list', '--json'], ['imports', 'list', '--json'], ['rules', 'list', '--json'], ['providers', 'list', '--json']]) {
      expect((await run(['--lang', 'de', ...args])).out).toBe((await run(args)).out);
    }
  }, 60_000);

  it('asks for a confirmation in the language, and takes that language\'s yes', async () => {
    const run = inProcessCli(dataDirWithAccount(), undefined, { now: () => NOW });
    const { name } = JSON.parse((await run(['backup', 'create', '--json'])).out) as { name: string };
    const terminal = (answer: string) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      return { stdin, onStderr: (text: string) => { if (text.includes('[')) stdin.write(`${answer}\n`); } };
    };
    const no = await run(['--lang', 'sk', 'backup', 'restore', name], undefined, terminal('nie'));
    expect(no.err).toContain(`Nahradiť databázu zálohou ${name}?`);
    expect(no.err).toContain('[a/N]');
    expect(no.code).toBe(1);
    const yes = await run(['--lang', 'de', 'backup', 'restore', name], undefined, terminal('ja'));
    expect(yes.err).toContain('[j/N]');
    expect(yes.code, yes.err).toBe(0);
    expect(yes.out).toMatch(new RegExp(`^${name} wiederhergestellt\\.`));
  }, 30_000);

  it('--help describes every command and option in the language, and exits 0', async () => {
    const run = inProcessCli(tempDir());
    const de = await run(['--lang', 'de', '--help']);
    expect(de.code).toBe(0);
    expect(de.out).toMatch(/^Aufruf: multibank /);
    expect(de.out).toContain('\nBefehle:\n');
    expect(de.out).toMatch(/-h, --help\s+Hilfe zum Befehl anzeigen/);
    expect(de.out).toMatch(/transactions\s+Buchungen\n/);
    for (const english of ['Usage:', 'Options:', 'Commands:', 'display help', 'the sync log', 'aggregator configurations']) expect(de.out).not.toContain(english);

    const pl = await run(['providers', 'configure', '--help'], undefined, { env: { LANG: 'pl_PL.UTF-8' } });
    expect(pl.code).toBe(0);
    expect(pl.out).toContain('Argumenty:');
    expect(pl.out).toMatch(/--client-secret-stdin\s+odczytaj sekret klienta ze standardowego wejścia/);
    expect(pl.out).toContain('zmiennej środowiskowej MULTIBANK_CLIENT_SECRET');
    for (const english of ['Arguments:', 'client secret (visible', 'read the client secret', 'The client secret comes from']) expect(pl.out).not.toContain(english);

    const fr = await run(['--lang', 'fr', 'rules', 'add', '--help']);
    expect(fr.out).toMatch(/--direction <in\|out>\s+uniquement les entrées/);
    const sk = await run(['--lang', 'sk', 'help', 'backup']);
    expect(sk.code).toBe(0);
    expect(sk.out).toMatch(/create \[options\]\s+zálohovať databázu teraz/);
  });

  it('says commander\'s usage errors and the settings in the language', async () => {
    const run = inProcessCli(tempDir());
    expect(await run(['--lang', 'de', 'acounts'])).toMatchObject({ code: 2, err: "multibank: unbekannter Befehl 'acounts' (Meinten Sie accounts?) (siehe --help)\n" });
    expect((await run(['--lang', 'pl', 'export', '--format', 'xml'])).err).toBe("multibank: '--format <format>': 'xml' nie należy do dozwolonych wartości (csv, ofx, json) (zob. --help)\n");
    expect((await run(['--lang', 'fr', 'providers', 'configure', 'powens'])).err).toBe("multibank: option obligatoire '--base-url <url>' non indiquée (voir --help)\n");
    expect((await run(['export'])).err).toBe("multibank: required option '--format <format>' not specified (see --help)\n");
    const sk = await run(['--lang', 'sk', 'settings', '--lead-days', '9']);
    expect(sk.out).toContain('Upozorniť pred vypršaním súhlasu (dni): 9\n');
    expect(sk.out).toContain('Tajné údaje pod súborom s kľúčom v priečinku s údajmi: nie\n');
  });

  it('refuses a language it does not speak, in plain words', async () => {
    const r = await inProcessCli(tempDir())(['--lang', 'xx', 'accounts', 'list']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('multibank: --lang takes one of en, de, fr, sk, pl, got "xx". [validation]\n');
  });
});
