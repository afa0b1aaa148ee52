// A sandbox world kept in a file (`--state FILE`), so that a restarted sandbox is the same world: the seed, the clock's
// lead over real time, the ledger's day and its control-API mutations, each emulator's users, tokens and consents, and
// the ports it listened on. Written after every request a server handled (World.onChange), atomically.
// node:v8's structured serialization keeps Maps, Sets, Dates and shared references as they are.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { LedgerOp } from './ledger.js';

export interface SavedWorld {
  version: typeof VERSION;
  seed: number;
  clockOffsetMs: number;
  /** LedgerOptions.today of the first start */
  ledgerToday: string;
  ledgerJournal: LedgerOp[];
  /** port per provider name and 'control' */
  ports: Record<string, number>;
  /** Emulator.state.save() per provider name */
  emulators: Record<string, unknown>;
}

const VERSION = 1;

/** The saved world, undefined when there is none; throws when the file cannot be read as one (the caller says so). */
export function readSavedWorld(file: string): SavedWorld | undefined {
  let bytes: Buffer;
  try { bytes = fs.readFileSync(file); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const w = v8.deserialize(bytes) as Partial<SavedWorld> | null;
  if (!w || w.version !== VERSION || typeof w.seed !== 'number' || typeof w.ledgerToday !== 'string') {
    throw new Error(`${file} is not a saved sandbox world of this version`);
  }
  return w as SavedWorld;
}

/** Write the world (a temporary file renamed over the old one: a kill mid-write leaves the previous world). */
export function writeSavedWorld(file: string, world: SavedWorld): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, v8.serialize(world), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Replace a Map's entries with the saved ones (emulators keep their Maps in consts). */
export function refill<K, V>(target: Map<K, V>, saved: Map<K, V> | undefined): void {
  target.clear();
  for (const [k, v] of saved ?? []) target.set(k, v);
}
