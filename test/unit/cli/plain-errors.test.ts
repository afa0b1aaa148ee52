// The CLI's first-try rough edges: file system errors, an unusable data dir, an unknown bank or account, and help text.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../main/cli/program.js';
import { startSandbox } from '../../../sandbox/start.js';
import { configureArgs, inProcessCli } from './in-process.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-cli-plain-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const oneLine = (err: string) => { expect(err.trimEnd().split('\n')).toHaveLength(1); return err; };

describe('the CLI in plain words', () => {
  it('says why a data dir cannot be used, at once, instead of a raw EEXIST or hanging', async () => {
    const home = tempDir();
    const file = join(home, 'a-file');
    writeFileSync(file, 'x');
    for (const [dir, why] of [
      [file, `${file} is a file, not a folder`],
      [join(file, 'sub'), `a part of ${join(file, 'sub')} is a file, not a folder`],
      // Node's own recursive mkdir never returns here (Linux); elsewhere /proc does not exist or cannot be written
      ['/proc/nope', ''],
    ] as const) {
      const r = await inProcessCli(dir)(['connections', 'list']);
      expect(r.code, dir).toBe(2);
      expect(oneLine(r.err)).toContain(`multibank: Multibank cannot keep its data in ${dir}: ${why}`);
      expect(r.err).toContain('Pass another folder with --data-dir, or set MULTIBANK_HOME. [validation]');
      expect(r.err).not.toMatch(/E[A-Z]{3,}|internal/);
    }
  }, 20_000);

  it('says what went wrong with a file it cannot write, instead of a raw ENOENT', async () => {
    const home = tempDir();
    const r = await inProcessCli(home)(['export', '--format', 'csv', '--out', join(home, 'no-folder', 'out.csv')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toBe(`multibank: ${join(home, 'no-folder', 'out.csv')} cannot be opened: the file or the folder it should be in does not exist. Check the path and try again. [file]\n`);
  });

  it('refuses an unknown account instead of printing "No transactions."', async () => {
    const run = inProcessCli(tempDir());
    for (const args of [['transactions', 'list', '--account', '999'], ['export', '--format', 'csv', '--account', '999']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.out).toBe('');
      expect(oneLine(r.err)).toBe('multibank: No account with id 999. Run `multibank accounts list` to see them. [not_found]\n');
    }
  });

  it('names an unknown bank id and how to list the banks (finAPI lists its banks under its own ids)', async () => {
    const sandbox = await startSandbox({ providers: ['finapi'] });
    try {
      const run = inProcessCli(tempDir());
      const d = sandbox.describe().finapi as { baseUrl: string; clientId: string; clientSecret: string; options?: Record<string, string> };
      expect((await run(configureArgs('finapi', d))).code).toBe(0);
      const r = await run(['connect', 'finapi', '--institution', 'de-sparkasse', '--no-wait']);
      expect(r.code).toBe(1);
      expect(oneLine(r.err)).toBe('multibank: No bank with id "de-sparkasse" at finAPI. Run `multibank institutions finapi` to list them. [not_found]\n');
      const banks = JSON.parse((await run(['institutions', 'finapi', '--json'])).out) as Array<{ id: string; name: string }>;
      const sparkasse = banks.find((b) => b.name === 'Demo Sparkasse Berlin')!;
      const ok = await run(['connect', 'finapi', '--institution', sparkasse.id, '--no-wait', '--json']);
      expect(ok.code, ok.err).toBe(0);
    } finally {
      await sandbox.close();
    }
  }, 60_000);

  it('prints each default once in help', () => {
    const { program } = buildProgram({ out: { stdout: new PassThrough(), stderr: new PassThrough() }, env: {}, stdin: new PassThrough() });
    const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
    const helps = all(program).map((c) => c.helpInformation());
    expect(helps.join('\n')).toContain('(default: 50)');
    for (const h of helps) expect(h).not.toMatch(/\(default:? [^)]*\)\s*\(default: /);
  });
});
