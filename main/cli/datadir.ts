// Where the CLI keeps its data: --data-dir, else $MULTIBANK_HOME, else the platform's app-data folder.
// The CLI's data dir is its own ("multibank-cli"), not the desktop app's: the app seals its vault key with the OS key store
// (Electron safeStorage), which a plain Node process cannot open, so the two cannot share one vault.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function appDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || join(home, '.config');
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  return env.MULTIBANK_HOME || join(appDataDir(platform, env, home), 'multibank-cli');
}
