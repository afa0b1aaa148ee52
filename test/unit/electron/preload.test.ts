import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronModule());

import { fake } from './electron-mock.js';
import type { MultibankApi } from '../../../preload/contract/channels.js';

describe('preload', () => {
  it('exposes window.multibank: calls go through one invoke channel, events come back on one channel', async () => {
    await import('../../../preload/index.js');
    const api = fake.exposed.get('multibank') as MultibankApi;
    expect(Object.keys(api).sort()).toEqual(['call', 'on']);
    expect(await api.call('accounts.monthly', { accountId: 3 })).toEqual({ ok: true, value: 'answer' });
    expect(fake.invoked).toEqual([['multibank:call', 'accounts.monthly', { accountId: 3 }]]);

    const emit = fake.rendererListeners.get('multibank:event')!;
    const got: unknown[] = [];
    const off = api.on('sync.progress', (p) => got.push(p));
    api.on('connections.changed', () => { throw new Error('a broken listener does not stop others'); });
    const other = vi.fn();
    api.on('connections.changed', other);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    emit({}, 'sync.progress', { connectionId: 1 });
    emit({}, 'connections.changed', { connectionId: 2 });
    emit({}, 42, 'ignored');
    off();
    emit({}, 'sync.progress', { connectionId: 9 });
    expect(got).toEqual([{ connectionId: 1 }]);
    expect(other).toHaveBeenCalledWith({ connectionId: 2 });
  });

  it('imports nothing but electron at run time (sandboxed preloads cannot require other modules)', async () => {
    const { readFileSync } = await import('node:fs');
    const src = readFileSync(new URL('../../../preload/index.ts', import.meta.url), 'utf8');
    const runtimeImports = [...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(runtimeImports).toEqual(['electron']);
  });
});
