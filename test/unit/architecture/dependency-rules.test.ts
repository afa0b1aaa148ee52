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
