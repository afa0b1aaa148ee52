// The CLI speaks the person's language: --lang first, then LC_ALL / LC_MESSAGES / LANG, else English.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliLanguage } from '../../../main/cli/program.js';
import { inProcessCli } from './in-process.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-cli-lang-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

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

  it('refuses a language it does not speak, in plain words', async () => {
    const r = await inProcessCli(tempDir())(['--lang', 'xx', 'accounts', 'list']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('multibank: --lang takes one of en, de, fr, sk, pl, got "xx". [validation]\n');
  });
});
