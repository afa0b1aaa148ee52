// Small JSON files in the data dir (preferences for the CLI/dev bridge, remembered consent notices), written atomically.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';

/**
 * A JSON object from a file that should hold one. A file that exists but cannot be read as an object is never
 * silently replaced: it is renamed to <name>.broken-<time><ext> and `keptAside` names it; `value` is then `fallback`.
 */
export function readJsonObjectKeepingBroken<T extends object>(file: string, fallback: T, now: Date): { value: T; keptAside: string | null } {
  if (!existsSync(file)) return { value: fallback, keptAside: null };
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return { value: value as T, keptAside: null };
  } catch { /* kept aside below */ }
  const ext = extname(file);
  const keptAside = `${file.slice(0, file.length - ext.length)}.broken-${now.toISOString().replace(/[:.]/g, '-')}${ext}`;
  renameSync(file, keptAside);
  return { value: fallback, keptAside };
}

export function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}
