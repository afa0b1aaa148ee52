// Deterministic pseudo-random numbers: the same seed always gives the same world.

/** 32-bit FNV-1a hash of a string, mixed with a numeric seed. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32)
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for demo data. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  static of(seed: number, ...parts: Array<string | number>): Rng { return new Rng(hash32(parts.join('|'), seed)); }
  /** float in [0, 1) */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** integer in [min, max] */
  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }
  float(min: number, max: number): number { return min + this.next() * (max - min); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]; }
  /** weighted pick: items with a `w` weight */
  weighted<T extends { w: number }>(items: readonly T[]): T {
    const total = items.reduce((s, i) => s + i.w, 0);
    let r = this.next() * total;
    for (const i of items) { if ((r -= i.w) < 0) return i; }
    return items[items.length - 1];
  }
  /** string of `n` decimal digits */
  digits(n: number): string { let s = ''; for (let i = 0; i < n; i++) s += String(this.int(0, 9)); return s; }
}
