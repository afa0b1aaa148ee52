// Search matches: main marks them in the description with \u0001 … \u0002; the UI turns them into <mark>.
import type { ReactNode } from 'react';

export interface Segment { text: string; match: boolean }

/** Split marked text into plain and matched segments. An unclosed marker runs to the end. */
export function parseMarked(marked: string): Segment[] {
  const out: Segment[] = [];
  let match = false;
  let buf = '';
  const flush = () => { if (buf) out.push({ text: buf, match }); buf = ''; };
  for (const ch of marked) {
    if (ch === '\u0001' && !match) { flush(); match = true; } else if (ch === '\u0002' && match) { flush(); match = false; } else buf += ch;
  }
  flush();
  return out;
}

/** Mark every case-insensitive occurrence of the query's words in plain text (for fields main does not mark, e.g. counterparty). */
export function markTerms(text: string, query: string): Segment[] {
  const words = query.trim().split(/\s+/).filter((w) => w.length > 0).map((w) => w.replace(/["*()]/g, '')).filter(Boolean);
  if (!words.length || !text) return [{ text, match: false }];
  const re = new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'iu');
  // split with one capturing group: odd indices are the matches
  return text.split(re).map((s, i) => ({ text: s, match: i % 2 === 1 })).filter((s) => s.text !== '');
}

export function Highlighted({ segments }: { segments: Segment[] }): ReactNode {
  return segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>));
}
