// Shared state of the sandbox world: a settable clock, queued faults, and a log of what was served.

export type FaultKind = 'server_error' | 'rate_limit' | 'timeout' | 'malformed' | 'truncated' | 'drop' | 'delay' | 'schema_drift';

export interface Fault {
  kind: FaultKind;
  status?: number;
  retryAfterSec?: number;
  delayMs?: number;
  /** schema_drift: the JSON field to remove (or rename, with renameTo) wherever it occurs in the next JSON answer;
   *  without a field, the first key of every object in the answer's first non-empty array is removed */
  field?: string;
  renameTo?: string;
  /** schema_drift: only the item at this index of the answer's first non-empty array of objects is touched (one bad row) */
  item?: number;
  /** schema_drift with item: `field` is set to this JSON text (e.g. `1e-7`, kept exact) instead of being removed */
  value?: string;
  /** the fault waits for the first request whose path and query contain this text (other requests pass) */
  path?: string;
}

export class Clock {
  private offsetMs = 0;
  private pinnedMs: number | null = null;
  now(): Date { return new Date(this.pinnedMs ?? Date.now() + this.offsetMs); }
  /** how far the world runs ahead of real time (a saved world keeps it: time passes while the sandbox is stopped) */
  get offset(): number { return this.offsetMs; }
  set offset(ms: number) { this.offsetMs = ms; }
  /** run `fn` with the clock standing at `ms` (replaying what happened then) */
  at<T>(ms: number, fn: () => T): T {
    this.pinnedMs = ms;
    try { return fn(); } finally { this.pinnedMs = null; }
  }
  set(iso: string): void {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) throw new RangeError(`Not a date: ${iso}`);
    this.offsetMs = t - Date.now();
  }
  advance(ms: number): void { this.offsetMs += ms; }
  /** YYYY-MM-DD of the world's today */
  today(): string { return this.now().toISOString().slice(0, 10); }
}

export class FaultQueue {
  private queues = new Map<string, Fault[]>();
  /** the next `count` requests to `target` ('*' = any emulator) get this fault */
  add(target: string, fault: Fault, count = 1): void {
    const q = this.queues.get(target) ?? [];
    for (let i = 0; i < count; i++) q.push(fault);
    this.queues.set(target, q);
  }
  take(target: string, path = ''): Fault | undefined {
    for (const key of [target, '*']) {
      const q = this.queues.get(key);
      const i = q?.findIndex((f) => !f.path || path.includes(f.path)) ?? -1;
      if (i >= 0) return q!.splice(i, 1)[0];
    }
    return undefined;
  }
  clear(): void { this.queues.clear(); }
  pending(): Record<string, number> { return Object.fromEntries([...this.queues].map(([k, v]) => [k, v.length])); }
}

export interface ServedEntry { provider: string; method: string; path: string; status: number; body?: unknown; at: string }

export class ServedLog {
  private entries: ServedEntry[] = [];
  private counts = new Map<string, number>();
  constructor(private clock: Clock, private keep = 2000) {}
  record(provider: string, method: string, path: string, status: number, body?: unknown): void {
    this.counts.set(provider, (this.counts.get(provider) ?? 0) + 1);
    this.entries.push({ provider, method, path, status, body, at: this.clock.now().toISOString() });
    if (this.entries.length > this.keep) this.entries.splice(0, this.entries.length - this.keep);
  }
  list(provider?: string): ServedEntry[] { return provider ? this.entries.filter((e) => e.provider === provider) : [...this.entries]; }
  count(provider: string): number { return this.counts.get(provider) ?? 0; }
  reset(): void { this.entries = []; this.counts.clear(); }
}

export class World {
  readonly clock = new Clock();
  readonly faults = new FaultQueue();
  readonly served = new ServedLog(this.clock);
  /** called after every request a server handled (a saved world writes itself then: sandbox/core/persist.ts) */
  onChange: () => void = () => {};
  constructor(readonly seed: number) {}
}
