// The account choice after a link: accounts another connection already holds are named and left unchosen, and the
// user may renew that connection instead.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { AccountDto, AlreadyLinkedDto, MultibankApi } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { ChooseAccounts } from '../../../renderer/src/features/link/ChooseAccounts.js';

afterEach(() => { cleanup(); location.hash = ''; });

const account = (id: number, name: string, iban: string): AccountDto => ({
  id, connectionId: 2, provider: 'powens', institutionName: 'Scripted Bank', bankName: 'Scripted Bank', name, iban, number: null, type: 'current', currency: 'EUR',
  balanceCurrent: 1000, balanceCurrentDate: '2026-11-24', balanceAvailable: null, balanceAvailableDate: null, selected: true, lastSuccessAt: null,
});
const accounts = [account(3, 'Current account', 'DE89370400440532013000'), account(4, 'Savings', 'DE02120300000000202051')];
const alreadyLinked: AlreadyLinkedDto[] = [{ accountId: 3, connectionId: 1, provider: 'powens', institutionName: 'Old Bank' }];

function setup(opts: { renewal?: boolean; alreadyLinked?: AlreadyLinkedDto[] } = {}) {
  const call = vi.fn(async (channel: string) => ({ ok: true as const, value: (channel === 'link.chooseAccounts' ? [] : null) as never }));
  const api = { call, on: () => () => {} } as unknown as MultibankApi;
  renderUi(<ApiProvider api={api}><ChooseAccounts connectionId={2} accounts={accounts} alreadyLinked={opts.alreadyLinked ?? alreadyLinked} renewal={opts.renewal} /></ApiProvider>);
  return call;
}

describe('ChooseAccounts', () => {
  it('names an account already linked elsewhere and leaves it unchosen', async () => {
    const call = setup();
    expect(screen.getByRole('status').textContent).toMatch(/Some of these accounts are already linked through your connection to Old Bank/);
    const current = screen.getByRole('checkbox', { name: /Current account/ });
    expect(current.closest('label')!.textContent).toContain('Already linked through Old Bank');
    expect(current).toHaveProperty('checked', false);
    const savings = screen.getByRole('checkbox', { name: /Savings/ });
    expect(savings.closest('label')!.textContent).not.toContain('Already linked');
    expect(savings).toHaveProperty('checked', true);
    fireEvent.click(screen.getByRole('button', { name: 'Add 1 account' }));
    await waitFor(() => expect(call).toHaveBeenCalledWith('link.chooseAccounts', { connectionId: 2, accountIds: [4] }));
  });

  it('"Renew … instead" removes the new connection and starts renewing the existing one', async () => {
    const call = setup();
    fireEvent.click(screen.getByRole('button', { name: 'Renew Old Bank instead' }));
    await waitFor(() => expect(location.hash).toBe('#/link?provider=powens&renew=1'));
    expect(call).toHaveBeenCalledWith('connections.remove', { connectionId: 2, deleteLocalData: true });
    expect(call).not.toHaveBeenCalledWith('link.chooseAccounts', expect.anything());
  });

  it('after a renewal says the accounts continue (no "Add")', async () => {
    const call = setup({ renewal: true, alreadyLinked: [] });
    expect(screen.getByRole('heading').textContent).toBe('Access renewed: choose the accounts to keep syncing');
    expect(screen.getByRole('region').textContent).toContain('Your accounts continue with their history');
    expect(screen.queryByRole('button', { name: /^Add/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Continue with 2 accounts' }));
    await waitFor(() => expect(call).toHaveBeenCalledWith('link.chooseAccounts', { connectionId: 2, accountIds: [3, 4] }));
  });
});
