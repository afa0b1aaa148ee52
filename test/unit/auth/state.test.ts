import { describe, expect, it } from 'vitest';
import { createStateStore } from '../../../main/auth/state.js';

describe('state store', () => {
  it('issues unguessable states that are consumed on first use', () => {
    const s = createStateStore<string>();
    const a = s.issue('link-a');
    const b = s.issue('link-b');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.peek(a)).toBe('link-a');
    expect(s.peek(a)).toBe('link-a');
    expect(s.consume(a)).toBe('link-a');
    expect(s.consume(a)).toBeUndefined();
    expect(s.peek(a)).toBeUndefined();
    expect(s.consume(b)).toBe('link-b');
  });

  it('expires states after the TTL (10 minutes by default)', () => {
    let t = 1_000_000;
    const s = createStateStore<number>({ now: () => new Date(t) });
    const st = s.issue(1);
    t += 10 * 60 * 1000 - 1;
    expect(s.peek(st)).toBe(1);
    t += 1;
    expect(s.consume(st)).toBeUndefined();
  });

  it('refuses unknown, short and non-string states, and forgets revoked ones', () => {
    const s = createStateStore<string>();
    const st = s.issue('x');
    for (const bad of ['', 'short', st.slice(0, -1), st + 'a', undefined as unknown as string, 42 as unknown as string]) expect(s.consume(bad)).toBeUndefined();
    s.revoke((d) => d === 'x');
    expect(s.consume(st)).toBeUndefined();
  });

  it('re-arms a state for one more use', () => {
    const s = createStateStore<string>();
    const st = s.issue('x');
    expect(s.consume(st)).toBe('x');
    s.arm(st, 'x');
    expect(s.consume(st)).toBe('x');
    expect(s.consume(st)).toBeUndefined();
  });
});
