// The connection cards in plain words: what to do (or what happened) instead of "Needs:", and a stored error code
// without its message shown as the code's words, never the raw code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { ConnectionDto, MultibankApi } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { ConnectionsPage } from '../../../renderer/src/features/connections/ConnectionsPage.js';

afterEach(cleanup);

const conn = (o: Partial<ConnectionDto>): ConnectionDto => ({
  id: 1, provider: 'powens', institutionName: 'Bank', state: 'active', expiresAt: null, message: null, lastSuccessAt: null, lastAttemptAt: null,
  lastErrorCode: null, lastErrorMessage: null, nextSyncAt: null, accountCount: 1, ...o,
});
const connections = [
  conn({ id: 1, institutionName: 'Tatra Demo Banka', state: 'needs_user', message: 'The bank needs you to confirm it is you. Choose Renew.' }),
  conn({ id: 2, institutionName: 'Česká Demo Banka', state: 'failing', message: 'Could not reach Powens. Nothing was changed.', lastErrorCode: 'network' }),
];

describe('ConnectionsPage wording', () => {
  it('labels a connection\'s message "What to do" or "What happened" and names an error code in words', async () => {
    const call = vi.fn(async (channel: string) => ({ ok: true as const, value: (channel === 'connections.list' ? connections : []) as never }));
    renderUi(<ApiProvider api={{ call, on: () => () => {} } as unknown as MultibankApi}><ConnectionsPage /></ApiProvider>);
    const tatra = await screen.findByRole('listitem', { name: 'Tatra Demo Banka' });
    expect(tatra.textContent).toContain('What to doThe bank needs you to confirm it is you. Choose Renew.');
    const ceska = screen.getByRole('listitem', { name: 'Česká Demo Banka' });
    expect(ceska.textContent).toContain('What happenedCould not reach Powens. Nothing was changed.');
    expect(ceska.textContent).toContain('Last problemCould not reach the aggregator.');
    for (const item of [tatra, ceska]) {
      expect(item.textContent).not.toMatch(/Needs(?! you)/); // the badge 'Needs you' is plain; the old 'Needs' label is gone
      expect(item.textContent).not.toContain('network');
    }
  });
});
