// oidc-provider storage for one emulator instance: unbounded, in memory, expiring entries. (oidc-provider's own
// development adapter keeps a process-wide LRU of 1000 entries, so a busy sandbox or test run could lose live
// refresh tokens; this one is per emulator and only forgets what has expired.)
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { refill } from '../core/persist.js';

export interface MemoryAdapterFactory {
  (model: string): Adapter;
  /** the stored entries, for a saved sandbox world (sandbox/core/persist.ts) */
  save(): unknown;
  load(saved: unknown): void;
}

export function memoryAdapterFactory(): MemoryAdapterFactory {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const grants = new Map<string, Set<string>>();
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const get = (key: string) => {
    const e = store.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= Date.now()) { store.delete(key); return undefined; }
    return e.payload;
  };
  const factory = (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
        store.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
        if (payload.grantId) {
          const set = grants.get(payload.grantId) ?? new Set<string>();
          set.add(key(id));
          grants.set(payload.grantId, set);
        }
        if (payload.uid) byUid.set(payload.uid, id);
        if (payload.userCode) byUserCode.set(payload.userCode, id);
      },
      async find(id: string) { return get(key(id)); },
      async findByUid(uid: string) { const id = byUid.get(uid); return id ? get(key(id)) : undefined; },
      async findByUserCode(code: string) { const id = byUserCode.get(code); return id ? get(key(id)) : undefined; },
      async consume(id: string) { const p = get(key(id)); if (p) p.consumed = Math.floor(Date.now() / 1000); },
      async destroy(id: string) { store.delete(key(id)); },
      async revokeByGrantId(grantId: string) {
        for (const k of grants.get(grantId) ?? []) store.delete(k);
        grants.delete(grantId);
      },
    };
  };
  return Object.assign(factory, {
    save: () => ({ store, grants, byUid, byUserCode }),
    load(saved: unknown) {
      const v = saved as { store: typeof store; grants: typeof grants; byUid: typeof byUid; byUserCode: typeof byUserCode };
      refill(store, v.store); refill(grants, v.grants); refill(byUid, v.byUid); refill(byUserCode, v.byUserCode);
    },
  });
}
