// The lint rule that enforces ARCHITECTURE.md's dependency rules, exercised on sample sources at real paths.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.message);
}

describe('dependency rules', () => {
  it('lets only main/electron and preload/index.ts import electron at runtime', async () => {
    expect(await violations('main/sync/x.ts', "import { app } from 'electron'; export const a = app;")).toHaveLength(1);
    expect(await violations('sandbox/x.ts', "import { app } from 'electron'; export const a = app;")).toHaveLength(1);
    expect(await violations('main/sync/x.ts', "import type { App } from 'electron'; export type A = App;")).toHaveLength(0);
    expect(await violations('main/electron/x.ts', "import { app } from 'electron'; export const a = app;")).toHaveLength(0);
    expect(await violations('preload/index.ts', "import { contextBridge } from 'electron'; export const c = contextBridge;")).toHaveLength(0);
  });
  it('keeps the renderer off main/, sandbox/ and Node', async () => {
    const found = await violations('renderer/src/x.ts', "import fs from 'node:fs'; import { s } from '../../main/service/api.js'; export const a = [fs, s];");
    expect(found).toHaveLength(2);
    expect(await violations('renderer/src/x.ts', "import type { Results } from '../../preload/contract/channels.js'; export type R = Results;")).toHaveLength(0);
  });
  it('keeps main and sandbox apart, and the app entry off the dev bridge', async () => {
    expect(await violations('main/service/x.ts', "import { startSandbox } from '../../sandbox/start.js'; export const s = startSandbox;")).toHaveLength(1);
    expect(await violations('sandbox/x.ts', "import { openDatabase } from '../main/store/db.js'; export const o = openDatabase;")).toHaveLength(1);
    expect(await violations('main/electron/entry.ts', "import { x } from '../devbridge/server.js'; export const y = x;")).toHaveLength(1);
  });
  it('lets preload/contract import only zod and itself', async () => {
    expect(await violations('preload/contract/x.ts', "import { z } from 'zod'; import { E } from './errors.js'; export const a = [z, E];")).toHaveLength(0);
    expect(await violations('preload/contract/x.ts', "import { a } from '../../main/domain/money.js'; export const b = a;")).toHaveLength(1);
  });
});

describe('dependency rules: the electron rule matches the package, not a folder name', () => {
  it('allows importing a file under main/electron from tests and scripts', async () => {
    expect(await violations('sandbox/x.ts', "import { a } from '../lib/electron/thing.js'; export const b = a;")).toHaveLength(0);
    expect(await violations('sandbox/x.ts', "import { a } from 'electron/main'; export const b = a;")).toHaveLength(1);
  });
});

describe('dependency rules: one folder per aggregator', () => {
  it('lets a provider folder use the shared provider code and its own files, never another provider\'s folder', async () => {
    expect(await violations('main/providers/powens/x.ts', "import { HttpClient } from '../http.js'; import { a } from './api.js'; export const b = [HttpClient, a];")).toHaveLength(0);
    expect(await violations('main/providers/powens/x.ts', "import { a } from '../finapi/api.js'; export const b = a;")).toHaveLength(1);
    expect(await violations('main/providers/enablebanking/x.ts', "import { a } from '../../providers/everifin/index.js'; export const b = a;")).toHaveLength(1);
    // the main fences still hold inside a provider folder
    expect(await violations('main/providers/banqware/x.ts', "import { s } from '../../../sandbox/start.js'; export const t = s;")).toHaveLength(1);
  });
});

describe('dependency rules: the folders inside main', () => {
  const importing = (from: string) => `import { x } from '${from}'; export const y = x;`;
  it('keeps main/auth to RFC 8252: no link workflow, service, sync or store', async () => {
    for (const folder of ['linking/links.js', 'service/index.js', 'sync/engine.js', 'store/db.js']) {
      expect(await violations('main/auth/x.ts', importing(`../${folder}`)), folder).toHaveLength(1);
    }
    expect(await violations('main/auth/x.ts', importing('./state.js'))).toHaveLength(0);
  });
  it('lets main/linking use auth, providers and store, never service', async () => {
    expect(await violations('main/linking/x.ts', importing('../service/providers.js'))).toHaveLength(1);
    expect(await violations('main/linking/x.ts', "import type { S } from '../service/api.js'; export type T = S;")).toHaveLength(1);
    const allowed = "import { a } from '../auth/state.js'; import type { P } from '../providers/hub.js'; import type { R } from '../store/repositories.js'; export type Q = [typeof a, P, R];";
    expect(await violations('main/linking/x.ts', allowed)).toHaveLength(0);
  });
  it('keeps main/providers, its shared files and every aggregator folder, off service, linking, sync and store', async () => {
    for (const folder of ['service', 'linking', 'sync', 'store']) {
      expect(await violations('main/providers/x.ts', importing(`../${folder}/x.js`)), folder).toHaveLength(1);
      expect(await violations('main/providers/finapi/x.ts', importing(`../../${folder}/x.js`)), folder).toHaveLength(1);
    }
    expect(await violations('main/providers/finapi/x.ts', importing('../stored.js'))).toHaveLength(0);
  });
  it('keeps main/store at the bottom, and main/sync under service and linking', async () => {
    for (const folder of ['service', 'linking', 'sync', 'providers']) {
      expect(await violations('main/store/x.ts', importing(`../${folder}/x.js`)), folder).toHaveLength(1);
    }
    for (const folder of ['service', 'linking']) {
      expect(await violations('main/sync/x.ts', importing(`../${folder}/x.js`)), folder).toHaveLength(1);
    }
    expect(await violations('main/sync/x.ts', "import { a } from '../store/db.js'; import { b } from '../providers/provider.js'; export const c = [a, b];")).toHaveLength(0);
  });
  it('lets only main/store import better-sqlite3 at runtime', async () => {
    const runtime = "import Database from 'better-sqlite3-multiple-ciphers'; export const d = Database;";
    expect(await violations('main/store/x.ts', runtime)).toHaveLength(0);
    expect(await violations('main/service/x.ts', runtime)).toHaveLength(1);
    expect(await violations('main/electron/x.ts', runtime)).toHaveLength(1);
    expect(await violations('main/sync/x.ts', "import type { Statement } from 'better-sqlite3-multiple-ciphers'; export type S = Statement;")).toHaveLength(0);
  });
  it('finds SQL text anywhere in main but main/store', async () => {
    const sql = "export const q = (db: { prepare(s: string): unknown }, t: string) => [db.prepare('SELECT blob FROM vault_secrets WHERE name = ?'), db.prepare(`\n  DELETE FROM ${t}`)];";
    expect(await violations('main/vault/x.ts', sql)).toHaveLength(2);
    expect(await violations('main/sync/x.ts', sql)).toHaveLength(2);
    expect(await violations('main/store/x.ts', sql)).toHaveLength(0);
    // an HTTP method or a sentence is not SQL
    expect(await violations('main/providers/x.ts', "export const m = { method: 'DELETE' }; export const s = 'Select the account to update';")).toHaveLength(0);
  });
});
