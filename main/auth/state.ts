// Single-use, expiring OAuth `state` values (RFC 6749 §10.12, RFC 8252): crypto-random, consumed on first use.
import { randomBytes } from 'node:crypto';

export const DEFAULT_STATE_TTL_MS = 10 * 60 * 1000;

/** 32 random bytes, base64url: unguessable and safe in a query string. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export interface StateStore<T> {
  /** a fresh state bound to `data`, valid for the TTL */
  issue(data: T): string;
  /** re-arm an existing value for one more use (a provider that relays the same state through a later browser step) */
  arm(state: string, data: T): void;
  /** the data if the state is known, unexpired and unused; does not consume it */
  peek(state: string): T | undefined;
  /** the data if valid, and the state can never be used again; undefined otherwise */
  consume(state: string): T | undefined;
  /** forget every state bound to data matching the predicate (a cancelled link) */
  revoke(match: (data: T) => boolean): void;
}

export function createStateStore<T>(opts: { ttlMs?: number; now?: () => Date } = {}): StateStore<T> {
  const ttl = opts.ttlMs ?? DEFAULT_STATE_TTL_MS;
  const now = () => (opts.now ? opts.now().getTime() : Date.now());
  const entries = new Map<string, { data: T; expiresAt: number }>();
  const purge = () => {
    const t = now();
    for (const [k, v] of entries) if (v.expiresAt <= t) entries.delete(k);
  };
  const valid = (state: string) => {
    if (typeof state !== 'string' || state.length < 16) return undefined;
    const e = entries.get(state);
    if (!e) return undefined;
    if (e.expiresAt <= now()) { entries.delete(state); return undefined; }
    return e;
  };
  return {
    issue(data) {
      purge();
      const state = randomToken();
      entries.set(state, { data, expiresAt: now() + ttl });
      return state;
    },
    arm(state, data) {
      purge();
      entries.set(state, { data, expiresAt: now() + ttl });
    },
    peek: (state) => valid(state)?.data,
    consume(state) {
      const e = valid(state);
      if (!e) return undefined;
      entries.delete(state);
      return e.data;
    },
    revoke(match) {
      for (const [k, v] of entries) if (match(v.data)) entries.delete(k);
    },
  };
}
