// Starting locked (issue 22): where a passphrase is the database key and none was given (the app without a real OS
// keyring; `npm run preview` without MULTIBANK_PASSPHRASE), nothing is opened until the user types it. Until then this stand-in answers lock.* (choose a passphrase the first time, type it
// afterwards), refuses every other channel with `locked`, and then hands every call and listener to the real service.
import type { LockStatusDto } from '../../preload/contract/lock.js';
import { LOCK_CHANNELS } from '../../preload/contract/lock.js';
import type { Channel, EventName, EventOf, LanguageCode, ParsedRequestOf, Results } from '../../preload/contract/channels.js';
import { AppError } from '../domain/errors.js';
import { hasPassphrase } from '../vault/dbkey.js';
import type { MultibankService } from './index.js';

/** `language`: the user's chosen language from the preferences (kept outside the encrypted data), for the lock screen */
export function startLocked(opts: { dataDir: string; language: () => LanguageCode; open(passphrase: string): Promise<MultibankService> }): MultibankService {
  let real: MultibankService | null = null;
  let opening: Promise<MultibankService> | null = null;
  /** listeners subscribed before the real service exists; each gets its real subscription at unlock */
  const early = new Set<{ event: EventName; listener: (payload: unknown) => void; off?: () => void }>();
  const status = (): LockStatusDto => ({ locked: true, unlockWith: hasPassphrase(opts.dataDir) ? 'passphrase' : 'new_passphrase', lockAfterMinutes: 0, language: opts.language() });

  async function unlock(passphrase: string | undefined): Promise<LockStatusDto> {
    if (!passphrase) throw new AppError('passphrase_required', { id: 'error.unlock_needs_passphrase' });
    opening ??= opts.open(passphrase);
    try {
      real = await opening;
    } finally {
      opening = null;
    }
    for (const e of early) e.off = real.on(e.event, e.listener);
    for (const e of early) if (e.event === 'lock.changed') (e.listener as (p: { locked: boolean }) => void)({ locked: false });
    return real.call('lock.status', undefined);
  }

  return {
    get dataDir() { return opts.dataDir; },
    async call<C extends Channel>(channel: C, request: ParsedRequestOf<C>): Promise<Results[C]> {
      if (real) return real.call(channel, request);
      if (channel === 'lock.unlock') return unlock((request as ParsedRequestOf<'lock.unlock'>).passphrase) as Promise<Results[C]>;
      if ((LOCK_CHANNELS as readonly Channel[]).includes(channel)) return status() as Results[C];
      throw new AppError('locked');
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void) {
      if (real) return real.on(event, listener);
      const entry: { event: EventName; listener: (payload: unknown) => void; off?: () => void } = { event, listener: listener as (p: unknown) => void };
      early.add(entry);
      return () => { early.delete(entry); entry.off?.(); };
    },
    // a browser step cannot have begun before the data was opened
    handleRedirect: async (url) => (real ? real.handleRedirect(url) : false),
    checkConsents: () => real?.checkConsents() ?? [],
    idle: async () => { await real?.idle(); },
    backUpIfDue: async () => (real ? real.backUpIfDue() : null),
    syncResult: (id) => real?.syncResult(id),
    close: async () => { await opening?.catch(() => undefined); await real?.close(); },
  };
}
