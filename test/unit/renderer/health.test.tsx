// What start-up found wrong, in the app: locked saved secrets (with the reset on the user's word), notices, a damaged
// database offering its newest backup.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { AppInfoDto, MultibankApi } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { HealthBanners } from '../../../renderer/src/app/HealthBanners.js';
import { ResetSecrets } from '../../../renderer/src/features/settings/Backups.js';

afterEach(cleanup);

function recordingApi(values: Record<string, unknown> = {}) {
  const calls: string[] = [];
  const api: MultibankApi = {
    call: async (channel) => { calls.push(channel); return { ok: true, value: values[channel] ?? null } as never; },
    on: () => () => {},
  };
  return { api, calls };
}
const info = (over: Partial<AppInfoDto>): AppInfoDto => ({ version: '1', demo: false, secretStorage: { available: true, plainText: false, optedIn: false }, ...over });

describe('HealthBanners', () => {
  it('offers the newest backup of a damaged database', async () => {
    const { api, calls } = recordingApi({ 'backup.list': [{ name: 'multibank-2026-02-28T21-15-00-000Z-daily.db', kind: 'daily', createdAt: '2026-02-28T21:15:00.000Z', bytes: 4096 }] });
    renderUi(<ApiProvider api={api}><HealthBanners info={info({ database: { ok: false, check: 'quick', problems: ['Page 12: btreeInitPage() returns error code 11'] } })} /></ApiProvider>);
    const alert = screen.getByRole('alert', { name: 'Database damaged' });
    expect(alert.textContent).toContain('Multibank will not write to it');
    await waitFor(() => expect(alert.textContent).toContain('The newest backup is from'));
    expect(calls).toEqual(['backup.list']);
    expect(screen.getByRole('link', { name: 'Restore a backup in Settings' }).getAttribute('href')).toBe('#/settings');
  });

  it('says why saved secrets are locked, and shows start-up notices until dismissed', () => {
    const { api, calls } = recordingApi();
    renderUi(<ApiProvider api={api}><HealthBanners info={info({ database: { ok: true, check: 'quick', problems: [] }, vaultLocked: { id: 'error.vault_key_missing_at', values: { location: '/d/vault.key' } }, notices: [{ id: 'prefs.damaged', values: { file: '/d/prefs.json.broken' } }] })} /></ApiProvider>);
    expect(screen.getByRole('alert', { name: 'Saved secrets locked' }).textContent).toContain('The key that unlocks your saved secrets is missing (it was kept in /d/vault.key), so stored bank sign-ins and aggregator secrets cannot be read. Reset saved secrets in Settings');
    expect(screen.getByRole('status').textContent).toBe('Your preferences file was damaged and could not be read. It was kept as /d/prefs.json.broken; the default preferences are in use now.×');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss notice' }));
    expect(screen.queryByRole('status')).toBeNull();
    expect(calls).toEqual([]); // a healthy database lists no backups here
  });

  it('says why saved secrets are locked in the reader\'s language', () => {
    const { api } = recordingApi();
    renderUi(<ApiProvider api={api}><HealthBanners info={info({ vaultLocked: { id: 'error.vault_key_missing_at', values: { location: '/d/vault.key' } } })} /></ApiProvider>, { language: 'de' });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Der Schlüssel zu Ihren gespeicherten Geheimnissen fehlt (er lag in /d/vault.key)');
    expect(alert.textContent).not.toContain('The key');
  });
});

describe('ResetSecrets', () => {
  it('forgets the saved secrets only after a confirmation', async () => {
    const { api, calls } = recordingApi();
    renderUi(<ApiProvider api={api}><ResetSecrets reason={{ id: 'error.vault_key_missing' }} /></ApiProvider>);
    fireEvent.click(screen.getByRole('button', { name: 'Reset saved secrets…' }));
    expect(screen.getByRole('alertdialog').textContent).toContain('Your connections, accounts and history stay');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(calls).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Reset saved secrets…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Reset saved secrets' }));
    await waitFor(() => expect(calls).toEqual(['vault.reset']));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
  });
});
