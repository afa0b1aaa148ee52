// The Powens setup says plainly what direct-access (typed credentials) links need: the API domain's encryption key.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import { renderUi } from '../../helpers/render.js';
import type { MultibankApi, ProviderDto } from '../../../preload/contract/channels.js';
import { ApiProvider } from '../../../renderer/src/app/api.js';
import { AggregatorForm } from '../../../renderer/src/features/settings/AggregatorForm.js';

afterEach(cleanup);
const api: MultibankApi = { call: async () => ({ ok: true, value: null }) as never, on: () => () => {} };
const dto = (id: string, optionNames: string[]): ProviderDto => ({ id, name: id, configured: false, baseUrl: null, clientId: null, options: {}, optionNames });

describe('AggregatorForm setup notes', () => {
  it('Powens: explains the credentials key and offers its fields', () => {
    renderUi(<ApiProvider api={api}><AggregatorForm provider={dto('powens', ['domain', 'credentialsKey', 'credentialsKeyId'])} /></ApiProvider>);
    expect(screen.getByText(/end-to-end encrypted with the public key of your Powens API domain/)).toBeTruthy();
    expect(screen.getByLabelText('Credentials key')).toBeTruthy();
    expect(screen.getByLabelText('Credentials key ID')).toBeTruthy();
  });
  it('no note where there is nothing to add', () => {
    renderUi(<ApiProvider api={api}><AggregatorForm provider={dto('finapi', ['webFormBaseUrl'])} /></ApiProvider>);
    expect(screen.queryByText(/end-to-end encrypted/)).toBeNull();
  });
});

describe('Enable Banking setup', () => {
  it('names the application id and private key, says how to register, offers the redirect URL and country', () => {
    renderUi(<ApiProvider api={api}><AggregatorForm provider={dto('enablebanking', ['redirectUrl', 'country'])} /></ApiProvider>);
    expect(screen.getByLabelText('Application ID')).toBeTruthy();
    expect((screen.getByLabelText('Private key (PEM)') as HTMLInputElement).type).toBe('password');
    expect(screen.getByLabelText('Redirect URL')).toBeTruthy();
    expect(screen.getByLabelText('Country')).toBeTruthy();
    expect(screen.getByText(/Register your own application in the Enable Banking control panel/)).toBeTruthy();
    expect(screen.queryByLabelText('Client ID')).toBeNull();
  });
});
