// Build the renderer once; every test then starts its own dev bridge + service on a fresh data dir (see fixtures.ts).
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

export default async function globalSetup() {
  await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
