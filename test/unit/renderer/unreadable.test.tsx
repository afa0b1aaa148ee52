// "N transactions could not be read" on the account page and in the sync log, and "Save a problem report" for a failed
// or partly failed sync, against a scripted MultibankApi.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { Channel, MultibankApi, Result, SyncRunDto, UnreadableRowDto } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { UnreadableNotice } from '../../../renderer/src/features/accounts/UnreadableNotice.js';
import { SyncLogPage } from '../../../renderer/src/features/synclog/SyncLogPage.js';

const objectUrls = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  URL.createObjectURL = objectUrls.create;
  URL.revokeObjectURL = objectUrls.revoke;
});

function scripted(answers: Partial<Record<Channel, unknown>>) {
  const calls: Array<{ channel: Channel; request: unknown }> = [];
  const api: MultibankApi = {
    async call(channel, request) {
      calls.push({ channel, request });
      return { ok: true, value: answers[channel] ?? null } as Result<never>;
    },
    on: () => () => {},
  };
  return { api, calls };
}

const aside = (reason: string, remoteId: string | null): UnreadableRowDto =>
  ({ accountId: 4, remoteId, reason, raw: { id: remoteId, amount: '1e-7' }, firstSeenAt: '2026-11-20T10:00:00.000Z', lastSeenAt: '2026-11-20T10:00:00.000Z' });

function run(over: Partial<SyncRunDto>): SyncRunDto {
  return {
    id: 1, connectionId: 2, institutionName: 'Tatra', trigger: 'user', startedAt: '2026-11-20T10:00:00.000Z', finishedAt: '2026-11-20T10:00:05.000Z',
    requestedFrom: '2026-11-01', requestedTo: '2026-11-20', servedFrom: null, servedTo: null, newCount: 5, updatedCount: 0, retiredCount: 0,
    unchangedCount: 0, outcome: 'ok', errorCode: null, errorMessage: null, durationMs: 5000, unreadableCount: 0, unreadableReason: null, ...over,
  };
}

describe('UnreadableNotice (account page)', () => {
  it('says how many transactions could not be read, with the reason, and that the next sync tries again', async () => {
    const { api, calls } = scripted({ 'accounts.unreadable': [aside('amount: Amount 1e-7 has more decimals than EUR allows (2)', 't1')] });
    renderUi(<ApiProvider api={api}><UnreadableNotice accountId={4} /></ApiProvider>);
    const notice = await screen.findByRole('status');
    expect(within(notice).getByRole('heading', { name: '1 transaction could not be read' })).toBeTruthy();
    expect(notice.textContent).toContain('Reason: amount: Amount 1e-7 has more decimals than EUR allows (2).');
    expect(notice.textContent).toContain('tries again at the next sync');
    expect(calls).toEqual([{ channel: 'accounts.unreadable', request: { accountId: 4 } }]);
  });

  it('lists several reasons, and shows nothing when every transaction was read', async () => {
    const { api } = scripted({ 'accounts.unreadable': [aside('date: not a date', null), aside('amount: expected a decimal number', 't2'), aside('date: not a date', 't3')] });
    const { unmount } = renderUi(<ApiProvider api={api}><UnreadableNotice accountId={4} /></ApiProvider>);
    expect(await screen.findByRole('heading', { name: '3 transactions could not be read' })).toBeTruthy();
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['date: not a date', 'amount: expected a decimal number', 'date: not a date']);
    unmount();
    const none = scripted({ 'accounts.unreadable': [] });
    const { container } = renderUi(<ApiProvider api={none.api}><UnreadableNotice accountId={4} /></ApiProvider>);
    await waitFor(() => expect(none.calls).toHaveLength(1));
    expect(container.textContent).toBe('');
  });
});

describe('sync log', () => {
  it('shows what a sync could not read and saves a problem report for failed or partly failed syncs', async () => {
    const runs = [
      run({ id: 3, unreadableCount: 2, unreadableReason: 'amount: Amount 1e-7 has more decimals than EUR allows (2)' }),
      run({ id: 2 }),
      run({ id: 1, outcome: 'error', errorCode: 'bad_response', errorMessage: 'finAPI sent an unexpected response.' }),
    ];
    const { api, calls } = scripted({ 'sync.log': runs, 'sync.report': { filename: 'multibank-problem-report-3.json', mime: 'application/json', content: '{}' } });
    // jsdom has no object URLs and no downloads: the file reaches the browser's save step
    const createObjectURL = vi.fn(() => 'blob:report');
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderUi(<ApiProvider api={api}><SyncLogPage /></ApiProvider>);
    const rows = await screen.findAllByRole('row');
    expect(screen.getByRole('columnheader', { name: 'Not read' })).toBeTruthy();
    const [, partly, fine, failed] = rows;
    expect(partly.textContent).toContain('2 transactions could not be read (amount: Amount 1e-7 has more decimals than EUR allows (2)); the rest was stored.');
    expect(within(fine).queryByRole('button', { name: 'Save a problem report' })).toBeNull();
    expect(within(failed).getByRole('button', { name: 'Save a problem report' })).toBeTruthy();
    // outcome and trigger in words, not the stored 'ok' / 'error' / 'user'
    expect(within(fine).getAllByRole('cell').map((c) => c.textContent)).toEqual(expect.arrayContaining(['You', 'Done']));
    expect(within(failed).getAllByRole('cell').some((c) => c.textContent?.startsWith('Failed'))).toBe(true);
    expect(rows.slice(1).some((r) => within(r).queryAllByRole('cell').some((c) => c.textContent === 'ok' || c.textContent === 'user'))).toBe(false);

    fireEvent.click(within(partly).getByRole('button', { name: 'Save a problem report' }));
    expect(await within(partly).findByText(/Saved multibank-problem-report-3\.json/)).toBeTruthy();
    expect(calls.filter((c) => c.channel === 'sync.report')).toEqual([{ channel: 'sync.report', request: { runId: 3 } }]);
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(click).toHaveBeenCalledTimes(1);
  });
});
