// Store rows -> the contract's DTOs. No DTO carries a secret.
import type { ConnectionDto, ProviderDto } from '../../preload/contract/channels.js';
import { deriveConsent, type DerivedConsent } from '../consent/derive.js';
import { english, type MainMessage } from '../domain/errors.js';
import type { ProviderId } from '../domain/types.js';

const REMOVED: MainMessage = { id: 'connection.removed' };
import type { ConnectionRow, ProviderConfigRow } from '../store/repositories.js';
import type { ProviderEntry } from '../providers/hub.js';


/** ConnectionDto with the countdown the consent centre and the CLI show always filled in. */
export type ConnectionView = ConnectionDto & Required<Pick<ConnectionDto, 'msLeft' | 'daysLeft' | 'removedAt'>>;

export function connectionDto(c: ConnectionRow, now: Date, leadDays: number, nextScheduledAt: string | null): ConnectionView {
  const d: DerivedConsent = deriveConsent({ state: c.state, expiresAt: c.consentExpiresAt }, now, leadDays);
  return {
    id: c.id, provider: c.provider, institutionName: c.institutionName,
    state: c.removedAt ? 'revoked' : d.state,
    expiresAt: d.expiresAt,
    message: c.removedAt ? english(REMOVED) : c.stateMessage,
    notice: c.removedAt ? REMOVED : c.stateMsg,
    lastSuccessAt: c.lastSuccessAt, lastAttemptAt: c.lastAttemptAt,
    lastErrorCode: c.lastErrorCode, lastErrorMessage: c.lastErrorMessage, lastError: c.lastError,
    nextSyncAt: c.removedAt ? null : (c.nextAttemptAt ?? nextScheduledAt),
    accountCount: c.accountCount,
    msLeft: d.msLeft, daysLeft: d.daysLeft, removedAt: c.removedAt,
    // a provider that learns the holder's name keeps it with the connection's remote ids (Banqware: from its KYC resource)
    holderName: c.remote.holderName ?? null,
  };
}

export function providerDto(id: ProviderId, entry: ProviderEntry, row: ProviderConfigRow | undefined, hasSecret: boolean): ProviderDto {
  return {
    id, name: entry.name, configured: !!row && hasSecret,
    baseUrl: row?.baseUrl ?? null, clientId: row?.clientId ?? null,
    options: row?.options ?? {}, optionNames: [...entry.optionNames],
  };
}
