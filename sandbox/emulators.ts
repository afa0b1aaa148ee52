// Every aggregator emulator of the sandbox world. Each aggregator folder adds its line here.
import type { Emulator } from './core/http.js';
import type { Ledger } from './core/bank.js';
import type { World } from './core/world.js';
import { createBanqwareEmulator } from './banqware/index.js';
import { createEcbEmulator } from './ecb/index.js';
import { createEnableBankingEmulator } from './enablebanking/index.js';
import { createEverifinEmulator } from './everifin/index.js';
import { createFinapiEmulator } from './finapi/index.js';
import { createPowensEmulator } from './powens/index.js';

export type EmulatorFactory = (world: World, ledger: Ledger) => Emulator;

export const EMULATORS: Record<string, EmulatorFactory> = {
  banqware: createBanqwareEmulator,
  // not an aggregator: the ECB's exchange-rate files, for net worth in one currency
  ecb: (world) => createEcbEmulator(world),
  enablebanking: createEnableBankingEmulator,
  everifin: createEverifinEmulator,
  finapi: createFinapiEmulator,
  powens: createPowensEmulator,
};
