// The lock screen speaks the language the user chose, which main says in lock.status (the preferences are refused
// while locked), not the browser's; a wrong passphrase is refused in that language too.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { MultibankApi } from '../../../preload/contract/channels.js';
import type { LockStatusDto } from '../../../preload/contract/lock.js';
import { toErrorDto, AppError } from '../../../main/domain/errors.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { LockGate } from '../../../renderer/src/features/lock/LockGate.js';
import { renderUi } from '../../helpers/render.js';

afterEach(cleanup);

/** main while locked: lock.status answers, lock.unlock refuses a wrong passphrase, every other channel is refused */
function lockedMain(language: LockStatusDto['language']) {
  const calls: string[] = [];
  const status: LockStatusDto = { locked: true, unlockWith: 'passphrase', lockAfterMinutes: 0, language };
  const api: MultibankApi = {
    call: async (channel) => {
      calls.push(channel);
      if (channel === 'lock.status') return { ok: true, value: status } as never;
      if (channel === 'lock.unlock') return { ok: false, error: toErrorDto(new AppError('wrong_passphrase', { id: 'error.wrong_passphrase_try', values: { slower: 'no' } })) } as never;
      return { ok: false, error: toErrorDto(new AppError('locked')) } as never;
    },
    on: () => () => {},
  };
  return { api, calls };
}

describe('the lock screen', () => {
  it('speaks the chosen language (Polish), not the browser\'s (English)', async () => {
    const { api, calls } = lockedMain('pl');
    renderUi(<ApiProvider api={api}><LockGate><p>the app</p></LockGate></ApiProvider>, { language: 'en' });
    expect(await screen.findByRole('heading', { name: 'Multibank jest zablokowany' })).toBeTruthy();
    await waitFor(() => expect(document.documentElement.lang).toBe('pl'));
    expect(screen.queryByText('the app')).toBeNull();
    expect(screen.queryByText(/Multibank is locked|Passphrase/)).toBeNull();
    fireEvent.change(screen.getByLabelText('Hasło'), { target: { value: 'not it' } });
    fireEvent.submit(screen.getByLabelText('Hasło').closest('form')!);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('To hasło jest nieprawidłowe'));
    expect(calls).toEqual(['lock.status', 'lock.unlock']); // nothing but the lock channels while locked
  });

  it('in German too', async () => {
    renderUi(<ApiProvider api={lockedMain('de').api}><LockGate><p>the app</p></LockGate></ApiProvider>, { language: 'fr' });
    expect(await screen.findByRole('heading', { name: 'Multibank ist gesperrt' })).toBeTruthy();
  });
});
