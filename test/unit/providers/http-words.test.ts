// What an aggregator failure says to a person: plain words (what happened, that nothing changed), never "fetch failed"
// or an HTTP status; the technical reason is kept in the run's trace, which the problem report carries.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient } from '../../../main/providers/http.js';
import { ProviderError } from '../../../main/providers/provider.js';
import { mapOidcError } from '../../../main/providers/everifin/index.js';
import { newTrace, traced } from '../../../main/providers/trace.js';
import { problemReport } from '../../../main/service/report.js';
import type { SyncRunDto } from '../../../preload/contract/channels.js';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/down')) { res.writeHead(503, { 'content-type': 'application/json' }); res.end('{"message":"maintenance"}'); return; }
    if (req.url?.startsWith('/garbled')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"data": [1, '); return; }
    if (req.url?.startsWith('/drifted')) { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"data": "not a list"}'); return; }
    res.writeHead(422, { 'content-type': 'application/json' }); res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = (baseUrl: string) => new HttpClient({
  baseUrl, label: 'Demo Aggregator', retries: 0, sleep: async () => {},
  describeError: (_status, body) => ({ message: (body as { message?: string } | undefined)?.message }),
});
const Body = z.object({ data: z.array(z.number()) });
const TECHNICAL = /fetch failed|HTTP|ECONN|JSON|\bGET\b|undefined|expected/i;

async function failure(run: () => Promise<unknown>) {
  const trace = newTrace();
  try { await traced(trace, run); } catch (e) {
    expect(e).toBeInstanceOf(ProviderError);
    return { error: e as ProviderError, trace };
  }
  throw new Error('expected a failure');
}

describe('aggregator failures in plain words', () => {
  it('no answer at all: "Could not reach …", the cause (ECONNREFUSED) only in the trace', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { error, trace } = await failure(() => client(`http://127.0.0.1:${port}`).raw('accounts'));
    expect(error.code).toBe('network');
    expect(error.message).toBe('Could not reach Demo Aggregator. Nothing was changed.');
    expect(trace.entries.at(-1)).toMatchObject({ path: '/accounts', status: null, problem: 'no answer: ECONNREFUSED' });
  });

  it('a 503: says the aggregator has a problem, keeps its own words; the status stays in the error info and the trace', async () => {
    const { error, trace } = await failure(() => client(base).raw('down'));
    expect(error.code).toBe('bank_unavailable');
    expect(error.message).toBe('Demo Aggregator is having a problem and could not answer right now: maintenance. Nothing was changed.');
    expect(error.info.status).toBe(503);
    expect(trace.entries.at(-1)).toMatchObject({ status: 503 });
  });

  it('another refusal (422) and an answer that cannot be read: plain words, the details in the trace', async () => {
    const refused = await failure(() => client(base).raw('other'));
    expect(refused.error.message).toBe('Demo Aggregator refused the request. Nothing was changed.');
    expect(refused.error.message).not.toMatch(TECHNICAL);

    const garbled = await failure(() => client(base).json(Body, 'garbled'));
    expect(garbled.error.code).toBe('bad_response');
    expect(garbled.error.message).toBe('Demo Aggregator sent an answer Multibank could not read. Nothing was changed.');
    expect(garbled.trace.entries.at(-1)!.problem).toBe('GET garbled: not valid JSON');

    const drifted = await failure(() => client(base).json(Body, 'drifted'));
    expect(drifted.error.message).toBe('Demo Aggregator sent an answer Multibank could not read. Nothing was changed.');
    expect(drifted.trace.entries.at(-1)!.problem).toMatch(/^GET drifted: data /);

    // the problem report carries the technical reason (digits masked like every message in it)
    const run = { id: 7, outcome: 'error', errorCode: 'bad_response', errorMessage: drifted.error.message, provider: 'powens' } as unknown as SyncRunDto & { provider: string };
    const report = JSON.parse(problemReport(run, drifted.trace, [], { version: '0.0.0', now: new Date('2026-11-24T12:00:00Z') }).content);
    expect(report.requests.entries.at(-1).problem).toMatch(/^GET drifted: data /);
    expect(report.sync.error.message).not.toMatch(TECHNICAL);
  });

  it('Everifin sign-in errors (openid-client): plain words; the library\'s words go to the trace', async () => {
    const trace = newTrace();
    const odd = Object.assign(new Error('"response" body "expires_in" property must be a number'), { code: 'OAUTH_INVALID_RESPONSE' });
    const [net, unreadable] = await traced(trace, async () => [mapOidcError(new TypeError('fetch failed'), 'refresh'), mapOidcError(odd, 'token')]);
    expect(net).toMatchObject({ code: 'network', message: 'Could not reach Everifin. Nothing was changed.' });
    expect(unreadable).toMatchObject({ code: 'bad_response', message: 'Everifin sent an answer Multibank could not read. Nothing was changed.' });
    expect(trace.failure).toBe('Everifin token: OAUTH_INVALID_RESPONSE: "response" body "expires_in" property must be a number');
  });
});
