// Both themes' colour pairs (text on the surfaces they are used on) pass WCAG AA: contrast ratio ≥ 4.5.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// vitest runs from the repository root (and CSS imports are stubbed, so read the file itself)
const css = readFileSync(join(process.cwd(), 'renderer/src/styles.css'), 'utf8');

function themeVars(selector: string): Record<string, string> {
  const block = css.slice(css.indexOf(selector + ' {'));
  const body = block.slice(block.indexOf('{') + 1, block.indexOf('}'));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const ratio = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

/** [text, background] as the stylesheet pairs them */
const PAIRS: Array<[string, string]> = [
  ['text', 'bg'], ['text', 'surface'], ['text', 'surface-2'], ['muted', 'bg'], ['muted', 'surface'], ['muted', 'surface-2'],
  ['accent', 'surface'], ['accent', 'accent-soft'], ['accent-text', 'accent'], ['text', 'accent-soft'],
  ['in', 'surface'], ['in', 'ok-bg'], ['warn', 'warn-bg'], ['out', 'bad-bg'], ['text', 'bad-bg'], ['accent', 'info-bg'], ['text', 'info-bg'],
];

describe('theme contrast', () => {
  const light = themeVars(':root');
  const dark = { ...light, ...themeVars(":root[data-theme='dark']") };
  for (const [name, vars] of [['light', light], ['dark', dark]] as const) {
    it(`${name} theme passes WCAG AA for every text/background pair`, () => {
      const failing = PAIRS.filter(([fg, bg]) => ratio(vars[fg], vars[bg]) < 4.5).map(([fg, bg]) => `${fg} on ${bg}: ${ratio(vars[fg], vars[bg]).toFixed(2)}`);
      expect(Object.keys(vars).length).toBeGreaterThan(15);
      expect(failing).toEqual([]);
    });
  }
});
