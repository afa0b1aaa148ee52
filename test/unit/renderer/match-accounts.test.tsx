// The renewal's 'match' step: candidates with their evidence, one answer per account, an account taken once, link.match sent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { LinkStepDto, MultibankApi } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { MatchAccounts } from '../../../renderer/src/features/link/MatchAccounts.js';

afterEach(cleanup);

const card = (accountId: number, name: string, overlaps: number) => ({
  accountId, name, maskedIban: null, number: null, type: 'card', currency: 'EUR', lastTransactionDate: '2026-11-03', overlaps,
});
const step: Extract<LinkStepDto, { kind: 'match' }> = {
  linkId: 'link-12345', kind: 'match', connectionId: 1,
  questions: [
    { remoteKey: 'A-g2', name: 'Visa ending 1111', maskedIban: null, number: null, type: 'card', currency: 'EUR', candidates: [card(3, 'Card A', 2), card(4, 'Card B', 2)] },
    { remoteKey: 'B-g2', name: 'Visa ending 2222', maskedIban: null, number: null, type: 'card', currency: 'EUR', candidates: [card(3, 'Card A', 1), card(4, 'Card B', 1)] },
  ],
};

describe('MatchAccounts', () => {
  it('asks per account with the candidates and sends the answers', async () => {
    const done: LinkStepDto = { linkId: 'link-12345', kind: 'done', connectionId: 1, accounts: [], alreadyLinked: [] };
    const call = vi.fn(async () => ({ ok: true as const, value: done }));
    const api = { call, on: () => () => {} } as unknown as MultibankApi;
    const onAnswered = vi.fn();
    renderUi(<ApiProvider api={api}><MatchAccounts step={step} onAnswered={onAnswered} onCancel={() => {}} /></ApiProvider>);

    const first = screen.getByRole('group', { name: /Visa ending 1111/ });
    const second = screen.getByRole('group', { name: /Visa ending 2222/ });
    expect(within(first).getAllByText(/2 recent transactions in common/)).toHaveLength(2);
    expect(within(second).getAllByText(/1 recent transaction in common/)).toHaveLength(2);
    const continueButton = screen.getByRole('button', { name: 'Continue' });
    expect(continueButton).toHaveProperty('disabled', true);

    fireEvent.click(within(first).getByRole('radio', { name: /Card B/ }));
    // Card B is taken: the other account cannot continue it too
    expect(within(second).getByRole('radio', { name: /Card B/ })).toHaveProperty('disabled', true);
    expect(continueButton).toHaveProperty('disabled', true);
    fireEvent.click(within(second).getByRole('radio', { name: /Card A/ }));
    fireEvent.click(continueButton);
    await waitFor(() => expect(onAnswered).toHaveBeenCalledWith(done));
    expect(call).toHaveBeenCalledWith('link.match', { linkId: 'link-12345', choices: [{ remoteKey: 'A-g2', accountId: 4 }, { remoteKey: 'B-g2', accountId: 3 }] });
  });

  it('"a new account" answers with null', async () => {
    const call = vi.fn(async () => ({ ok: true as const, value: step }));
    const api = { call, on: () => () => {} } as unknown as MultibankApi;
    renderUi(<ApiProvider api={api}><MatchAccounts step={step} onAnswered={() => {}} onCancel={() => {}} /></ApiProvider>);
    for (const g of screen.getAllByRole('group')) fireEvent.click(within(g).getByRole('radio', { name: /a new account/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(call).toHaveBeenCalledWith('link.match', { linkId: 'link-12345', choices: [{ remoteKey: 'A-g2', accountId: null }, { remoteKey: 'B-g2', accountId: null }] }));
  });
});
