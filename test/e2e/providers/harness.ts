// Per test: the real service + dev bridge on a fresh data dir, with its demo sandbox's control API at hand, and a
// direct line to the service (the same WebSocket the page uses) for counting what is stored.
import type { Page } from '@playwright/test';
import { test as base, expect } from '../clock-fixture.js';
import { attachOnFailure } from '../preview.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { Channel, RequestOf, Result, Results, TransactionDto } from '../../../preload/contract/channels.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface ProviderApp {
  url: string;
  dataDir: string;
  /** POST to the sandbox control API (e.g. '/providers/everifin/expire-refresh'), or GET with `method`; returns its JSON */
  control(path: string, body?: unknown, method?: 'GET' | 'POST'): Promise<unknown>;
  /** one call to the service through the dev bridge */
  call<C extends Channel>(channel: C, request?: RequestOf<C>): Promise<Results[C]>;
}

async function start(dataDir: string): Promise<{ child: ChildProcess; url: string; control: string; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './test/e2e/shift-date.ts', 'test/e2e/providers/serve.ts', dataDir], {
    cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, MULTIBANK_HOME: dataDir },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr = (stderr + String(d)).slice(-65_536); });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the app did not start in 60 s\n${stderr}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const l = out.split('\n').find((x) => x.startsWith('{'));
      if (l) { clearTimeout(timer); resolve(l); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the app exited with ${code}\n${stderr}`)); });
  });
  return { child, stderr: () => stderr, ...(JSON.parse(line) as { url: string; control: string }) };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 6000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** A WebSocket client of the dev bridge (wire format of renderer/src/bridge/ws.ts). */
async function bridgeClient(url: string) {
  const u = new URL(url);
  const socket = new WebSocket(`ws://${u.host}/bridge?token=${encodeURIComponent(u.searchParams.get('token') ?? '')}`);
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  let nextId = 1;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: Result<unknown> };
    if (typeof msg.id === 'number' && msg.result) { pending.get(msg.id)?.(msg.result); pending.delete(msg.id); }
  });
  return {
    async call<C extends Channel>(channel: C, request?: RequestOf<C>): Promise<Results[C]> {
      const id = nextId++;
      const result = await new Promise<Result<unknown>>((resolve) => { pending.set(id, resolve); socket.send(JSON.stringify({ id, channel, request })); });
      if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
      return result.value as Results[C];
    },
    close: () => socket.close(),
  };
}

export const test = base.extend<{ app: ProviderApp }>({
  app: async ({}, use, testInfo) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-providers-'));
    const running = await start(dataDir);
    const bridge = await bridgeClient(running.url);
    try {
      await use({
        url: running.url,
        dataDir,
        call: bridge.call,
        async control(path, body = {}, method = 'POST') {
          const res = await fetch(running.control + path, method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
          return res.json();
        },
      });
    } finally {
      bridge.close();
      await stop(running.child);
      await attachOnFailure(testInfo, dataDir, running.stderr());
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Every stored transaction, all pages, through the service. */
export async function allTransactions(app: ProviderApp): Promise<TransactionDto[]> {
  const rows: TransactionDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await app.call('transactions.list', { limit: 500, sort: 'date_desc', ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

/** Rows that look the same (account, date, amount, text): a renewal that split history would show up here. */
export function duplicates(rows: TransactionDto[]): string[] {
  const seen = new Map<string, number>();
  for (const r of rows) {
    const key = [r.accountId, r.bookingDate, r.amount, r.currency, r.status, r.description, r.counterpartyName].join('|');
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

/** History kept across a renewal: every row still there under the same id, none twice, anything extra only from newer days. */
export function expectSameHistory(before: TransactionDto[], after: TransactionDto[]) {
  const ids = new Set(after.map((t) => t.id));
  expect(before.filter((t) => !ids.has(t.id))).toEqual([]);
  expect(duplicates(after)).toEqual([]);
  const known = new Set(before.map((t) => t.id));
  const newest = before.reduce((m, t) => (t.bookingDate > m ? t.bookingDate : m), '');
  for (const t of after.filter((x) => !known.has(x.id))) expect(t.bookingDate >= newest || t.status === 'pending').toBe(true);
}

export const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();

/** "Sync now" in the sync bar, then wait until it is offered again (the sync ended) */
export async function syncNow(page: Page) {
  const sync = page.getByRole('region', { name: 'Sync', exact: true });
  await sync.getByRole('button', { name: 'Sync now' }).click();
  await expect(sync.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 30_000 });
}

/** Open the bank page the link step offers (a popup, like the system browser). */
export async function openBankPage(page: Page, button = 'Open the bank page'): Promise<Page> {
  const [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: button }).click()]);
  return bank;
}

/** The shared demo bank pages: log in, then answer what is asked (one-time code, consent, accounts) until handed back. */
export async function finishAtBank(bank: Page, login = { username: 'demo', password: 'demo1234' }) {
  await bank.getByLabel('Username').fill(login.username);
  await bank.getByLabel('Password').fill(login.password);
  await bank.getByRole('button', { name: 'Log in' }).click();
  const done = bank.getByText('You can return to Multibank');
  for (let i = 0; i < 5 && !(await done.isVisible()); i++) {
    const kind = await bank.locator('body').getAttribute('data-page');
    if (kind === 'sca') {
      await bank.getByLabel('One-time code').fill('123456');
      await bank.getByRole('button', { name: 'Confirm' }).click();
    } else if (kind === 'accounts') {
      await bank.getByRole('button', { name: 'Continue' }).click();
    } else if (kind === 'consent') {
      await bank.getByRole('button', { name: 'Approve' }).click();
    } else {
      break;
    }
    await bank.waitForLoadState();
  }
  await expect(done).toBeVisible();
  await bank.close();
}

/** Everifin's own pages: sign in when asked (a live Everifin session may skip it), allow when asked, until handed back. */
export async function signInAtEverifin(everifin: Page) {
  const done = everifin.getByText('You can return to Multibank');
  const login = everifin.getByRole('button', { name: 'Sign in' });
  const allow = everifin.getByRole('button', { name: 'Allow' });
  await expect(login.or(allow).or(done)).toBeVisible();
  if (await login.isVisible()) {
    await everifin.getByLabel('Username or email').fill('demo');
    await everifin.getByLabel('Password').fill('demo1234');
    await login.click();
    await expect(allow.or(done)).toBeVisible();
  }
  if (await allow.isVisible()) await allow.click();
  await expect(done).toBeVisible();
  await everifin.close();
}
