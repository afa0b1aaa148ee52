// Banqware production needs a client certificate: the provider presents it (mutual TLS) when the options name one.
// Certificates are made here with openssl; the test skips itself where openssl is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createBanqwareProvider } from '../../../../main/providers/banqware/index.js';

const hasOpenssl = (() => { try { execFileSync('openssl', ['version'], { stdio: 'ignore', timeout: 10_000 }); return true; } catch { return false; } })();
let dir: string;
let server: https.Server;
let url: string;
const seen: Array<string | null> = [];

describe.skipIf(!hasOpenssl)('Banqware mutual TLS', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqw-mtls-'));
    const f = (n: string) => path.join(dir, n);
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', timeout: 30_000 });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Test CA');
    fs.writeFileSync(f('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.cnf');
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=multibank-tenant');
    ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2');
    server = https.createServer({ key: fs.readFileSync(f('server.key')), cert: fs.readFileSync(f('server.pem')), ca: fs.readFileSync(f('ca.pem')), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const cert = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      const cn = cert?.subject?.CN;
      seen.push(Array.isArray(cn) ? cn.join(",") : (cn ?? null));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 'b1', name: 'Bank One', country: 'PL' }]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/`;
  });
  afterAll(() => { server?.close(); if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('presents the configured client certificate', async () => {
    const p = createBanqwareProvider({
      provider: 'banqware', baseUrl: url, clientId: 'c', clientSecret: 's',
      options: { clientCertPath: path.join(dir, 'client.pem'), clientKeyPath: path.join(dir, 'client.key'), caPath: path.join(dir, 'ca.pem') },
    }, {});
    expect(await p.listInstitutions('')).toEqual([{ id: 'b1', name: 'Bank One', country: 'PL', methods: ['redirect'] }]);
    expect(seen).toEqual(['multibank-tenant']);
  });

  it('without the certificate options the request does not get through', async () => {
    const p = createBanqwareProvider({ provider: 'banqware', baseUrl: url, clientId: 'c', clientSecret: 's', options: { caPath: path.join(dir, 'ca.pem') } }, {});
    await expect(p.listInstitutions('')).rejects.toMatchObject({ code: 'network' });
    expect(seen).toEqual(['multibank-tenant']);
  });
});
