// `multibank categories …` and `multibank rules …`: the list, rename/remove carried to transactions, rules applied at the
// first sync and on request, the category filter of `transactions list` and `export`, and plain one-line errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GOOD_SECRET, scriptedRegistry, scriptedWorld } from '../service/scripted-provider.js';
import { followAuthorization, inProcessCli } from './in-process.js';
import { testNow } from '../../helpers/clock.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-cli-cat-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('multibank categories and rules', () => {
  it('manage categories and rules; rules categorize the first sync and past transactions; the filter lists and exports them', async () => {
    const now = testNow('2026-11-24T12:00:00Z');
    const run = inProcessCli(tempDir(), scriptedRegistry(scriptedWorld()), { now: () => now });
    const ok = async (args: string[]) => { const r = await run(args); expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0); return r.out; };
    const json = async (args: string[]) => JSON.parse(await ok([...args, '--json']));
    const fails = async (args: string[], code: number, line: RegExp) => {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err.trim()).toMatch(line);
      expect(r.out).toBe('');
    };

    // the default list, and a new category
    expect(await ok(['categories', 'list'])).toMatch(/^CATEGORY\s+TRANSACTIONS\s+RULES\n[- ]+\nCash\s+0\s+0\n/);
    expect(await ok(['categories', 'add', 'Coffee'])).toBe('Added Coffee.\n');
    await fails(['categories', 'add', 'coffee'], 2, /^multibank: There is already a category named Coffee\. \[validation\]$/);
    await fails(['categories', 'add', '  '], 2, /A category needs a name/);

    // a rule made before the first sync categorizes its new rows
    expect(await ok(['rules', 'add', '--category', 'income', '--text', 'salary', '--direction', 'in']))
      .toBe('Added rule 1: text contains “salary” · money in → Income. Apply it to past transactions with `multibank rules apply`.\n');
    await ok(['providers', 'configure', 'powens', '--base-url', 'https://aggregator.example', '--client-id', 'cli', '--client-secret', GOOD_SECRET]);
    const linked = await run(['connect', 'powens', '--institution', 'bank-1', '--json', '--timeout', '20'], followAuthorization);
    expect(linked.code, linked.err).toBe(0);
    await ok(['sync']);
    const byText = async () => Object.fromEntries((await json(['transactions', 'list'])).map((t: { description: string; category: string | null }) => [t.description, t.category]));
    expect(await byText()).toEqual({ 'Salary November': 'Income', 'Savings transfer': null, 'Coffee Roastery': null });

    // rules: bad input in plain words; then one applied to the past, counted first
    await fails(['rules', 'add', '--category', 'Nope', '--text', 'x'], 1, /^multibank: There is no category named "Nope"\. Run `multibank categories list` to see them\. \[not_found\]$/);
    await fails(['rules', 'add', '--category', 'Coffee'], 2, /A rule needs at least one condition/);
    await fails(['rules', 'add', '--category', 'Coffee', '--min', 'abc'], 2, /An amount must be a number like 12\.50, without a sign/);
    await fails(['rules', 'add', '--category', 'Coffee', '--text', 'x', '--account', '99'], 1, /No account with id 99/);
    await fails(['rules', 'add', '--category', 'Coffee', '--direction', 'sideways'], 2, /sideways/);
    const rule = await json(['rules', 'add', '--category', 'Coffee', '--text', 'roastery', '--max', '20']);
    expect(rule).toMatchObject({ id: 2, category: 'Coffee', text: 'roastery', maxAmount: '20', minAmount: null });
    expect(await ok(['rules', 'list'])).toMatch(/ID\s+WHEN\s+CATEGORY\n[- ]+\n\s*1\s+text contains “salary” · money in\s+Income\n\s*2\s+text contains “roastery” · amount at most 20\s+Coffee\n/);
    expect(await ok(['rules', 'apply', '--dry-run'])).toBe('1 transaction would get a category from the rules.\n');
    expect((await byText())['Coffee Roastery']).toBeNull();
    expect(await ok(['rules', 'apply'])).toBe('1 transaction got a category from the rules.\n');
    expect(await json(['rules', 'apply'])).toEqual({ count: 0 });

    // the category filter (any case), in the list and the export; an unknown one is an error
    expect((await json(['transactions', 'list', '--category', 'coffee'])).map((t: { description: string }) => t.description)).toEqual(['Coffee Roastery']);
    const csv = await ok(['export', '--format', 'csv', '--category', 'Coffee']);
    expect(csv.trim().split('\n')).toHaveLength(2);
    expect(csv).toContain('Coffee Roastery');
    await fails(['transactions', 'list', '--category', 'Nope'], 1, /There is no category named "Nope"/);

    // rename follows to the transactions and rules; remove asks where they go
    expect(await ok(['categories', 'rename', 'coffee', 'Café'])).toBe('Renamed to Café (1 transaction).\n');
    expect((await json(['transactions', 'list', '--category', 'café'])).map((t: { description: string }) => t.description)).toEqual(['Coffee Roastery']);
    await fails(['categories', 'rename', 'Café', 'income'], 2, /There is already a category named Income/);
    await fails(['categories', 'remove', 'Café'], 2, /^multibank: Café is on 1 transaction and in 1 rule\. Say where they go: --move-to <category>, or --clear .* \[validation\]$/);
    await fails(['categories', 'remove', 'Café', '--move-to', 'Other', '--clear'], 2, /either --move-to or --clear/);
    expect(await ok(['categories', 'remove', 'Café', '--move-to', 'other'])).toBe('Removed Café. 1 transaction moved to other.\n');
    expect((await byText())['Coffee Roastery']).toBe('Other');
    expect((await json(['rules', 'list'])).map((r: { category: string }) => r.category)).toEqual(['Income', 'Other']);
    expect(await ok(['categories', 'remove', 'Income', '--clear'])).toBe('Removed Income. 1 transaction left without a category; 1 rule removed.\n');
    expect(await ok(['categories', 'add', 'Pets'])).toBe('Added Pets.\n');
    expect(await ok(['categories', 'remove', 'Pets'])).toBe('Removed Pets. 0 transactions left without a category.\n');

    // rules remove
    expect(await ok(['rules', 'remove', '2'])).toBe('Removed rule 2.\n');
    await fails(['rules', 'remove', '2'], 1, /There is no rule with id 2\. See the list of rules\. \[not_found\]/);
    await fails(['rules', 'remove', 'two'], 2, /The rule id must be a positive whole number/);
    expect(await ok(['rules', 'list'])).toBe('No rules: add one with `multibank rules add --category <name> --text <text>`.\n');
  });
});
