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
}

export class Clock {
  private offsetMs = 0;
  now(): Date { return new Date(Date.now() + this.offsetMs); }
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
  take(target: string): Fault | undefined {
    return this.queues.get(target)?.shift() ?? this.queues.get('*')?.shift();
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
  constructor(readonly seed: number) {}
}
