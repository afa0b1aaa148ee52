// Statement files and the aggregator's sync of the same days, against the finAPI sandbox: a CAMT.053 file imported
// before the first sync (through the CLI, with a --dry-run preview first), then the sync: no transaction twice, the
// aggregator's ids take over the imported rows and a category set on an imported row stays; then, after the sync, a
// file of already-synced days adds nothing, and the same file twice adds nothing. The account ends exactly the ledger.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/program.js';
import type { MultibankService } from '../../main/service/index.js';
import type { DemoAccount, DemoTransaction } from '../../sandbox/core/bank.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { link, openService, tempDir } from './harness.js';

const NOW = '2026-06-15T10:00:00Z';

/** A CAMT.053 statement of `days` as the bank words it: its own entry references, upper-case texts, balances that add up. */
function camt053(account: DemoAccount, all: DemoTransaction[], from: string, to: string): string {
  const booked = all.filter((t) => t.status === 'booked');
  const opening = booked.filter((t) => t.bookingDate < from).reduce((a, t) => a + t.amountMinor, account.openingBalanceMinor);
  const rows = booked.filter((t) => t.bookingDate >= from && t.bookingDate <= to).sort((a, b) => a.bookingDate.localeCompare(b.bookingDate));
  const closing = rows.reduce((a, t) => a + t.amountMinor, opening);
  const dec = (minor: number) => (Math.abs(minor) / 100).toFixed(2);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const bal = (code: string, minor: number, date: string) => `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="${account.currency}">${dec(minor)}</Amt>`
    + `<CdtDbtInd>${minor < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>`;
  const entries = rows.map((t, i) => {
    const out = t.amountMinor < 0;
    const party = t.counterpartyName ? `<RltdPties><${out ? 'Cdtr' : 'Dbtr'}><Nm>${esc(t.counterpartyName.toUpperCase())}</Nm></${out ? 'Cdtr' : 'Dbtr'}></RltdPties>` : '';
    return `<Ntry><Amt Ccy="${t.currency}">${dec(t.amountMinor)}</Amt><CdtDbtInd>${out ? 'DBIT' : 'CRDT'}</CdtDbtInd><Sts>BOOK</Sts>`
      + `<BookgDt><Dt>${t.bookingDate}</Dt></BookgDt><ValDt><Dt>${t.valueDate}</Dt></ValDt><AcctSvcrRef>BK${from.replace(/-/g, '')}${String(i).padStart(5, '0')}</AcctSvcrRef>`
      + `<NtryDtls><TxDtls>${party}<RmtInf><Ustrd>${esc(`SEPA ${t.description.toUpperCase()}`)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>`
    + `<GrpHdr><MsgId>T-${from}</MsgId><CreDtTm>${to}T23:00:00</CreDtTm></GrpHdr><Stmt><Id>${from}</Id>`
    + `<Acct><Id><IBAN>${account.iban}</IBAN></Id><Ccy>${account.currency}</Ccy></Acct>${bal('OPBD', opening, from)}${bal('CLBD', closing, to)}\n${entries}\n</Stmt></BkToCstmrStmt></Document>\n`;
}

describe('statement files and the aggregator sync of the same days', () => {
  let sandbox: RunningSandbox;
  let dataDir: string;
  const cipherKey = randomBytes(32).toString('hex');
  const open = () => openService({ dataDir, cipherKey, sandbox });
  beforeAll(async () => {
    sandbox = await startSandbox({ providers: ['finapi'], now: NOW, ledger: { months: 3 } });
    dataDir = tempDir('import');
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  /** `multibank …` in this process over the same data dir and sandbox */
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const stdout = new PassThrough(); const stderr = new PassThrough();
    let out = ''; let err = '';
    stdout.on('data', (d) => { out += d; }); stderr.on('data', (d) => { err += d; });
    const code = await runCli(['--data-dir', dataDir, ...args], { out: { stdout, stderr }, env: {}, stdin: new PassThrough(), openService: () => open() });
    return { code, out, err };
  }
  const localRows = (service: MultibankService, accountId: number) => service.call('transactions.list', { accountIds: [accountId], includeHidden: true, limit: 500, sort: 'date_asc' } as never);

  it('file, then sync, then the synced days as a file, then the same file again: every transaction once', async () => {
    let service = await open();
    await service.call('demo.start', undefined);
    const done = await link(service, 'finapi');
    const accounts = await service.call('accounts.list', undefined);
    const local = accounts.find((a) => a.iban && sandbox.ledger.accounts().some((l) => l.iban === a.iban && l.type !== 'card'))!;
    const ledgerAccount = sandbox.ledger.accounts().find((l) => l.iban === local.iban)!;
    const ledger = sandbox.ledger.transactions(ledgerAccount.id);
    await service.close();

    // 1. before any sync: May's statement, previewed then imported through the CLI
    const may = join(dataDir, 'may.xml');
    writeFileSync(may, camt053(ledgerAccount, ledger, '2026-05-01', '2026-05-31'));
    const mayRows = ledger.filter((t) => t.status === 'booked' && t.bookingDate >= '2026-05-01' && t.bookingDate <= '2026-05-31');
    expect(mayRows.length).toBeGreaterThan(5);
    const preview = await cli(['import', may, '--dry-run', '--json']);
    expect(preview.err).toBe('');
    expect(JSON.parse(preview.out)).toMatchObject({ dryRun: true, accountId: local.id, added: mayRows.length, matched: 0 });
    const human = await cli(['import', may, '--dry-run']);
    expect(human.out).toContain(`would add ${mayRows.length}, 0 already there, 0 skipped.`);
    expect(human.out).toContain('Nothing was written (--dry-run).');
    service = await open();
    expect(await localRows(service, local.id)).toMatchObject({ rows: [] });
    await service.close();
    const imported = await cli(['import', may, '--json']);
    expect(imported.code, imported.err).toBe(0);
    const first = JSON.parse(imported.out) as { importId: number; added: number };
    expect(first.added).toBe(mayRows.length);

    // the user files one imported row under a category before the sync
    service = await open();
    const page = await localRows(service, local.id) as { rows: Array<{ id: number; amount: number; bookingDate: string }> };
    const tagged = page.rows[0];
    await service.call('transactions.update', { id: tagged.id, category: 'Imported and kept', note: 'from the May file' });

    // 2. the aggregator's first sync of the whole history
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    expect(service.syncResult(done.connectionId)?.outcome).toBe('ok');
    const afterSync = await localRows(service, local.id) as { rows: Array<{ id: number; amount: number; bookingDate: string; status: string; category: string | null; note: string | null }> };
    const expected = ledger.map((t) => `${t.bookingDate}/${t.amountMinor}/${t.status}`).sort();
    expect(afterSync.rows.map((r) => `${r.bookingDate}/${r.amount}/${r.status}`).sort()).toEqual(expected);
    expect(afterSync.rows.find((r) => r.id === tagged.id)).toMatchObject({ category: 'Imported and kept', note: 'from the May file' });
    // the aggregator's id took over the imported row
    expect((await service.call('transactions.get', { id: tagged.id })).remoteId).not.toMatch(/^file:/);
    await service.close();

    // 3. after the sync: June's days as a file add nothing, May's file again adds nothing
    const june = join(dataDir, 'june.xml');
    writeFileSync(june, camt053(ledgerAccount, ledger, '2026-06-01', '2026-06-10'));
    const juneRun = JSON.parse((await cli(['import', june, '--json'])).out) as { added: number; matched: number; balanceAfter: number | null; closing: { amount: number } };
    expect(juneRun).toMatchObject({ added: 0 });
    expect(juneRun.matched).toBeGreaterThan(0);
    expect(juneRun.balanceAfter).toBe(juneRun.closing.amount);
    expect(JSON.parse((await cli(['import', may, '--json'])).out)).toMatchObject({ added: 0, matched: mayRows.length });

    service = await open();
    const end = await localRows(service, local.id) as { rows: Array<{ amount: number; bookingDate: string; status: string }> };
    expect(end.rows.map((r) => `${r.bookingDate}/${r.amount}/${r.status}`).sort()).toEqual(expected);
    // one sync-log entry per import, beside the sync's
    const log = await service.call('sync.log', { limit: 100 });
    expect(log.filter((r) => r.trigger === 'import').map((r) => r.newCount)).toEqual([0, 0, mayRows.length]);
    await service.close();
  });
});
