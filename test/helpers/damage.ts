// Damage a database file the way a failing disk or a stray write does: 64 KiB in its middle overwritten.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';

export const DAMAGE_BYTES = 64 * 1024;

/** Overwrite DAMAGE_BYTES in the middle of the file with a fixed pattern (the file must be at least 3× that size). */
export function damageMiddle(file: string): void {
  const size = statSync(file).size;
  if (size < 3 * DAMAGE_BYTES) throw new Error(`${file} is ${size} bytes: too small to damage only its middle`);
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(DAMAGE_BYTES, 0xa5), 0, DAMAGE_BYTES, Math.floor(size / 2 / 4096) * 4096);
  } finally {
    closeSync(fd);
  }
}
