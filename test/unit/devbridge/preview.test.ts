// `npm run preview` as its own process (a fresh one per test): one bad request or one oversized frame must not take the service down.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { startPreview, stopPreview } from '../../e2e/preview.js';

let dir: string;
let child: ChildProcess;
let origin: string;
let token: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preview-'));
  const started = await startPreview(dir);
  child = started.child;
  const url = new URL(started.url);
  origin = url.origin;
  token = url.searchParams.get('token')!;
});
afterEach(async () => {
  await stopPreview(child);
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    const req = request({ hostname, port, path }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', reject);
    req.end();
  });
}

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/bridge?token=${token}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The service still answers a call over a fresh socket. */
async function stillAnswers(): Promise<void> {
  const ws = await connect();
  const reply = new Promise<any>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
  ws.send(JSON.stringify({ id: 1, channel: 'prefs.get' }));
  expect(await reply).toMatchObject({ id: 1, result: { ok: true } });
  ws.close();
  expect(child.exitCode).toBeNull();
}

describe('npm run preview survives bad input', () => {
  it('answers a malformed URI with 400 and keeps serving', async () => {
    expect(await get('/%E0%A4%A')).toBe(400);
    expect(await get('/assets/%ZZ.js')).toBe(400);
    expect(await get('//[')).toBe(400); // not even a URL
    await stillAnswers();
  });

  it('closes a socket that sends a frame over 1 MiB with 1009 and keeps serving the others', async () => {
    const other = await connect();
    const big = await connect();
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.on('error', () => {}); // the server ends the socket; the client may see the reset
    big.send('x'.repeat(1024 * 1024 + 1));
    expect(await closed).toBe(1009);
    expect(other.readyState).toBe(WebSocket.OPEN);
    other.close();
    await stillAnswers();
  });
});
