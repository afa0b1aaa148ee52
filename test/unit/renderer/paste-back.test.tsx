// Enable Banking's way back: at the redirect step the user pastes the address the browser ended on; a wrong one is
// said in words and can be corrected, the right one moves the link on.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { LinkStepDto, MultibankApi } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { PasteBack } from '../../../renderer/src/features/link/LinkWizard.js';

afterEach(cleanup);

describe('PasteBack', () => {
  it('sends the pasted address with link.submit; a refused one shows why and stays', async () => {
    const sent: unknown[] = [];
    const done: LinkStepDto = { linkId: 'L', kind: 'done', connectionId: 1, accounts: [], alreadyLinked: [] };
    const api: MultibankApi = {
      call: async (channel: string, req: any) => {
        sent.push([channel, req]);
        return (req.values.url.includes('state=good')
          ? { ok: true, value: done }
          : { ok: false, error: { code: 'validation', message: 'That address does not belong to this sign-in.', action: null } }) as never;
      },
      on: () => () => {},
    };
    const steps: LinkStepDto[] = [];
    const failures: unknown[] = [];
    renderUi(<ApiProvider api={api}><PasteBack linkId="L" onStep={(s) => steps.push(s)} onFail={(e) => failures.push(e)} /></ApiProvider>);
    const input = screen.getByLabelText(/Copy its whole address/);
    fireEvent.change(input, { target: { value: 'https://me.example/cb?code=c&state=bad' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.getByText(/does not belong to this sign-in/)).toBeTruthy());
    expect(steps).toEqual([]);
    fireEvent.change(input, { target: { value: 'https://me.example/cb?code=c&state=good' } });
    fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(steps).toEqual([done]));
    expect(sent).toEqual([
      ['link.submit', { linkId: 'L', values: { url: 'https://me.example/cb?code=c&state=bad' } }],
      ['link.submit', { linkId: 'L', values: { url: 'https://me.example/cb?code=c&state=good' } }],
    ]);
    expect(failures).toEqual([]);
  });
});
