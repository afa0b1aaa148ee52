// The packaged app's entry must never reach main/devbridge (nor the sandbox, nor the renderer sources):
// walk the static import graph from main/electron/entry.ts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function staticImports(file: string): string[] {
  const src = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs = new Set<string>();
  for (const m of src.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g)) specs.add(m[1]);
  for (const m of src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.add(m[1]);
  return [...specs];
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base, `${base}.ts`, `${base}/index.ts`]) if (existsSync(c) && c.match(/\.tsx?$/)) return c;
  return null;
}

export function importGraph(entry: string): { files: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const spec of staticImports(f)) {
      const local = resolveLocal(f, spec);
      if (local) stack.push(local);
      else if (!spec.startsWith('.')) packages.add(spec);
    }
  }
  return { files: [...seen].map((f) => relative(root, f)).sort(), packages: [...packages].sort() };
}

describe('main/electron/entry.ts import graph', () => {
  const { files, packages } = importGraph(resolve(root, 'main/electron/entry.ts'));

  it('reaches the service, the store and the vault (the walk works)', () => {
    expect(files).toContain('main/electron/app.ts');
    expect(files).toContain('main/vault/vault.ts');
    expect(files).toContain('main/store/db.ts');
    expect(packages).toContain('electron');
  });

  it('never imports the dev bridge, the sandbox, the renderer, tests or the CLI', () => {
    const bad = files.filter((f) => /^(main\/devbridge|sandbox|renderer|test|bench|main\/cli)\//.test(f));
    expect(bad).toEqual([]);
    expect(packages.filter((p) => p === 'ws' || p.startsWith('vite') || p === 'commander')).toEqual([]);
  });
});
