// The trace keeps each answer's text and shapes it only when a problem report reads it (shaping every page on the
// success path cost as much as parsing it); the texts it holds stay within a budget, however large the sync.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient } from '../../../main/providers/http.js';
import { newTrace, recordExchange, SHAPE_AT_ONCE, SHAPED_ALIKE, shapedEntries, TEXT_BUDGET, traced, typeShape } from '../../../main/providers/trace.js';
import { problemReport } from '../../../main/service/report.js';
import type { SyncRunDto } from '../../../preload/contract/channels.js';

const PAGE = JSON.stringify({
  transactions: Array.from({ length: 100 }, (_, i) => (i % 2
    ? { id: i, value: -12.3, wording: 'Rent', coming: false, x: null, DE89370400440532013000: 1 }
    : { id: i, value: '1e-7', tags: ['a', 'b'] })),
  next: null,
});
const TOKEN = JSON.stringify({ access_token: 'secret-token', expires_in: 3600 });

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/page')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end(PAGE); return; }
    if (req.url?.startsWith('/token')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end(TOKEN); return; }
    res.writeHead(200, { 'content-type': 'text/plain' }); res.end('hello');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const run = { id: 3, outcome: 'error', errorCode: 'bad_response', errorMessage: 'x', provider: 'powens' } as unknown as SyncRunDto & { provider: string };

it('a problem report shows each answer\'s shape as typeShape(JSON.parse(body)), shaped when the report is made', async () => {
  const client = new HttpClient({ baseUrl: base, label: 'Demo Aggregator', retries: 0, sleep: async () => {}, describeError: () => ({}) });
  const trace = newTrace();
  await traced(trace, async () => {
    await client.json(z.object({ transactions: z.array(z.unknown()) }), 'page');
    await client.raw('plain');
    await client.raw('token');
  });
  // the page is not shaped on the way: its text waits for a report; small answers (a token's) are shaped at once
  expect(PAGE.length).toBeGreaterThanOrEqual(SHAPE_AT_ONCE);
  expect([...trace.texts.values()]).toEqual([PAGE]);
  expect(trace.textChars).toBe(PAGE.length);
  expect(trace.entries.map((e) => e.shape)).toEqual([null, 'text(5)', { access_token: 'string', expires_in: 'number' }]);

  const report = JSON.parse(problemReport(run, trace, [], { version: '0.0.0', now: new Date('2026-11-24T12:00:00Z') }).content);
  expect(report.requests.entries).toEqual([
    { method: 'GET', path: '/page', status: 200, shape: typeShape(JSON.parse(PAGE)) },
    { method: 'GET', path: '/plain', status: 200, shape: 'text(5)' },
    { method: 'GET', path: '/token', status: 200, shape: typeShape(JSON.parse(TOKEN)) },
  ]);
  expect(trace.texts.size).toBe(0);
  expect(trace.textChars).toBe(0);
});

it('many large answers keep at most the budget in texts; of the oldest, the first few of a request are shaped, the rest let go unshaped', async () => {
  const row = (i: number) => ({ id: i, amount: '12.50', label: 'x'.repeat(180), when: '2026-01-01' });
  const body = (n: number) => JSON.stringify({ page: n, rows: Array.from({ length: 1000 }, (_, i) => (n % 2 && i === 0 ? { ...row(i), extra: true } : row(i))) });
  const trace = newTrace();
  const pages = 60;
  const size = body(0).length;
  expect(size * pages).toBeGreaterThan(5 * TEXT_BUDGET);
  let most = 0;
  await traced(trace, async () => {
    for (let n = 0; n < pages; n++) {
      recordExchange('GET', new URL(`https://x.test/accounts/7/transactions?page=${n}`), 200, body(n));
      // another request's answers are counted on their own
      if (n < SHAPED_ALIKE) recordExchange('GET', new URL('https://x.test/accounts'), 200, body(100 + n));
      const held = [...trace.texts.values()].reduce((s, t) => s + t.length, 0);
      expect(held).toBe(trace.textChars);
      most = Math.max(most, held);
    }
  });
  expect(most).toBeLessThanOrEqual(TEXT_BUDGET);
  const held = trace.texts.size;
  expect(held).toBeGreaterThan(0);
  const pageShapes = shapedEntries(trace).filter((e) => e.path === '/accounts/:id/transactions?page').map((e) => e.shape);
  const shaped = (n: number) => typeShape(JSON.parse(body(n)));
  // the first pages and those still held when the report was made have their shapes; the pages between do not
  expect(pageShapes.slice(0, SHAPED_ALIKE)).toEqual([0, 1, 2].map(shaped));
  expect(pageShapes.slice(pages - held + 1)).toEqual(Array.from({ length: held - 1 }, (_, i) => shaped(pages - held + 1 + i)));
  expect(pageShapes.slice(SHAPED_ALIKE, pages - held)).toEqual(Array.from({ length: pages - held - SHAPED_ALIKE }, () => expect.stringMatching(/^not shaped \(\d+ characters; the first 3 answers to this request were\)$/)));
  expect(trace.entries.filter((e) => e.path === '/accounts').map((e) => e.shape)).toEqual([0, 1, 2].map((n) => shaped(100 + n)));
  expect(trace.texts.size).toBe(0);
});

it('an answer left out of a long trace lets go of its text', async () => {
  const trace = newTrace();
  await traced(trace, async () => {
    for (let n = 0; n < 500; n++) recordExchange('GET', new URL(`https://x.test/p/${n}`), 200, JSON.stringify({ n, pad: 'x'.repeat(SHAPE_AT_ONCE) }));
  });
  expect(trace.dropped).toBe(300);
  expect(trace.texts.size).toBe(200);
  expect([...trace.texts.keys()].every((e) => trace.entries.includes(e))).toBe(true);
  expect(trace.textChars).toBe(trace.entries.reduce((s, e) => s + (trace.texts.get(e)?.length ?? 0), 0));
  expect(shapedEntries(trace).every((e) => JSON.stringify(e.shape) === '{"n":"number","pad":"string"}')).toBe(true);
});
