// Components with logic: the credentials form from aggregator fields, consent banners and actions, sync progress text.
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import { translator } from '../../helpers/translate.js';
import type { ConnectionDto, MultibankApi } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { Banners, needsRenewal } from '../../../renderer/src/app/Banners.js';
import { describeProgress } from '../../../renderer/src/app/SyncBar.js';
import { CredentialsForm } from '../../../renderer/src/features/link/CredentialsForm.js';
import { primaryAction } from '../../../renderer/src/features/connections/ConnectionsPage.js';
import { ErrorBox } from '../../../renderer/src/components/ui.js';
import { MessageText } from '../../../renderer/src/app/message.js';
import { pinGlobalDate, testNow } from '../../helpers/clock.js';

const t = translator('en');

afterEach(cleanup);

const api: MultibankApi = { call: async () => ({ ok: true, value: null }) as never, on: () => () => {} };

function connection(over: Partial<ConnectionDto>): ConnectionDto {
  return {
    id: 1, provider: 'powens', institutionName: 'Tatra', state: 'active', expiresAt: null, message: null, lastSuccessAt: null,
    lastAttemptAt: null, lastErrorCode: null, lastErrorMessage: null, nextSyncAt: null, accountCount: 2, ...over,
  };
}

describe('CredentialsForm', () => {
  const fields = [
    { name: 'login', label: 'Login', type: 'text' as const, required: true, regex: '[a-z]+' },
    { name: 'password', label: 'Password', type: 'password' as const, required: true },
    { name: 'branch', label: 'Branch', type: 'list' as const, required: false, values: [{ label: 'Main', value: 'm' }] },
  ];

  it('shows each field error and submits only valid values', () => {
    const onSubmit = vi.fn();
    renderUi(<CredentialsForm fields={fields} busy={false} onSubmit={onSubmit} onCancel={() => {}} />);
    expect(screen.getByLabelText(/Password/)).toHaveProperty('type', 'password');
    expect(screen.getByRole('combobox', { name: 'Branch' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByText('Login is required.')).toBeTruthy();
    expect(screen.getByText('Password is required.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText(/Login/), { target: { value: 'ABC1' } });
    expect(screen.getByText('Login does not have the expected format.')).toBeTruthy(); // re-validated as you type after a try
    expect(screen.getByLabelText(/Login/).getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByLabelText(/Login/), { target: { value: 'abc' } });
    fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    expect(onSubmit).toHaveBeenCalledWith({ login: 'abc', password: 'pw' });
  });
});

describe('consents', () => {
  const now = Date.parse('2026-03-01T00:00:00Z');
  it('needs renewal within the lead time or when expired', () => {
    expect(needsRenewal(connection({ expiresAt: '2026-03-05T00:00:00Z' }), 7, now)).toBe(true);
    expect(needsRenewal(connection({ expiresAt: '2026-04-05T00:00:00Z' }), 7, now)).toBe(false);
    expect(needsRenewal(connection({ state: 'expired' }), 7, now)).toBe(true);
    expect(needsRenewal(connection({}), 7, now)).toBe(false);
  });

  it('offers the action that fits each state', () => {
    expect(primaryAction(connection({ state: 'expiring' }), t)?.label).toBe('Renew');
    expect(primaryAction(connection({ state: 'revoked' }), t)?.label).toBe('Reconnect');
    expect(primaryAction(connection({ state: 'active' }), t)).toBeNull();
  });

  it('shows a start-up banner with Renew for consents about to expire, and one for unreachable aggregators', () => {
    // the banner counts down from the machine's clock: pin it
    const now = testNow('2026-11-24T12:00:00Z');
    onTestFinished(pinGlobalDate(now));
    const soon = new Date(now.getTime() + 2 * 86_400_000).toISOString();
    renderUi(
      <ApiProvider api={api}>
        <Banners leadDays={7} connections={[connection({ id: 4, expiresAt: soon }), connection({ id: 5, institutionName: 'Other', lastErrorCode: 'network' })]} />
      </ApiProvider>,
    );
    const consents = screen.getByRole('region', { name: 'Consents' });
    expect(consents.textContent).toContain('Tatra: access expires in 2 days, 0 hr.');
    expect(screen.getByRole('link', { name: 'Renew' }).getAttribute('href')).toBe('#/link?renew=4&provider=powens');
    expect(screen.getByText(/The aggregators cannot be reached right now \(Other\)/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss consent notice' }));
    expect(screen.queryByRole('region', { name: 'Consents' })).toBeNull();
  });
});

describe('messages', () => {
  it('describes sync progress', () => {
    expect(describeProgress({ connectionId: 1, phase: 'transactions', pages: 3, counts: { new: 12, updated: 1, retired: 0, unchanged: 0 }, message: '' }, t))
      .toBe('Reading transactions (page 3) · 12 new, 1 updated');
    expect(describeProgress({ connectionId: 1, phase: 'refresh', pages: 0, counts: { new: 0, updated: 0, retired: 0, unchanged: 0 }, message: '' }, t))
      .toBe('Asking the bank for fresh data');
  });

  it('shows an error as what happened and what to do, with a way to do it', () => {
    renderUi(<ErrorBox error={{ code: 'consent_expired', message: 'Access to this bank has expired.', action: 'Renew' }} />);
    expect(screen.getByRole('alert').textContent).toContain('Access to this bank has expired.');
    expect(screen.getByRole('link', { name: 'Open connections' }).getAttribute('href')).toBe('#/connections');
  });

  it('says nothing for an empty nested message (an aggregator without words of its own), never its id', () => {
    const m = { id: 'provider.unavailable', values: { label: 'Powens', own: { id: 'provider.no_detail' } } } as const;
    for (const language of ['en', 'de'] as const) {
      renderUi(<p data-testid={language}><MessageText m={m} /></p>, { language });
      expect(screen.getByTestId(language).textContent).not.toContain('provider.');
    }
    expect(screen.getByTestId('en').textContent).toBe('Powens is having a problem and could not answer right now. Nothing was changed.');
  });
});

describe('aggregator options', () => {
  it('labels option names for people', async () => {
    const { optionLabel } = await import('../../../renderer/src/features/settings/AggregatorForm.js');
    expect(optionLabel('pollIntervalMs')).toBe('Poll interval (ms)');
    expect(optionLabel('idpUrl')).toBe('IdP URL');
    expect(optionLabel('webFormBaseUrl')).toBe('Web form base URL');
    expect(optionLabel('domain')).toBe('Domain');
    expect(optionLabel('caPath')).toBe('CA path');
  });
});
