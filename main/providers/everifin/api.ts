// Everifin transport: the BankConnect envelope and error bodies, lossless JSON, the User-Agent the API guide asks for, and
// openid-client errors (token, refresh, discovery) as ProviderErrors. The bearer token is the shared client's auth hook
// (see EverifinProvider.api: one single-flight refresh on 401).
import * as oidc from 'openid-client';
import { parse as losslessParse } from 'lossless-json';
import { z } from 'zod';
import { ProviderError } from '../provider.js';
import { noteFailure } from '../trace.js';

export const envelope = <T extends z.ZodType>(data: T) => z.object({
  data,
  meta: z.object({
    status: z.string().optional(),
    pagination: z.object({ page: z.coerce.number(), count_per_page: z.coerce.number(), count_total: z.coerce.number().optional(), last: z.coerce.number() }).partial().nullish(),
  }).passthrough().optional(),
});
const errorEnvelope = z.object({ errors: z.array(z.object({ code: z.union([z.string(), z.number()]).optional(), title: z.string().optional(), detail: z.string().optional() })).min(1) });
/** the API guide's "custom JSON error object" with a `code` (its other fields are not public) */
const errorObject = z.object({ code: z.union([z.string(), z.number()]), message: z.string().optional(), title: z.string().optional(), detail: z.string().optional() });

export function describeEverifinError(_status: number, body: unknown): { providerCode?: string; message?: string } | undefined {
  const e = errorEnvelope.safeParse(body);
  if (e.success) {
    const first = e.data.errors[0];
    return { providerCode: first.code !== undefined ? String(first.code) : undefined, message: [first.title, first.detail].filter(Boolean).join(': ') };
  }
  const o = errorObject.safeParse(body);
  return o.success ? { providerCode: String(o.data.code), message: o.data.message ?? o.data.title ?? o.data.detail } : undefined;
}

export const USER_AGENT = `Multibank (${process.platform})`;
/** JSON numbers: integers as numbers, decimals kept as their exact text (money never passes through a float) */
export const parseJson = (text: string) => losslessParse(text, null, (v: string) => (/^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : v));

export function expiredError(code: string): ProviderError {
  return new ProviderError('consent_expired', 'Your Everifin sign-in has ended. Sign in to Everifin again.', { providerCode: code });
}

const UNREADABLE = 'Everifin sent an answer Multibank could not read. Nothing was changed.';
const UNAVAILABLE = 'Everifin is having a problem and could not answer right now. Nothing was changed.';
const SLOW_DOWN = 'Everifin asked Multibank to slow down.';

/**
 * openid-client errors -> ProviderError with stable codes and plain words; the aggregator's own code is kept in `info`
 * and the technical words (OAuth error, description, library message) go to the problem report.
 */
export function mapOidcError(e: unknown, step: 'discovery' | 'code' | 'refresh' | 'token'): ProviderError {
  if (e instanceof ProviderError) return e;
  const err = e as { name?: string; code?: string; message?: string; cause?: unknown; error?: string; error_description?: string };
  noteFailure(`Everifin ${step}: ${[err?.error ?? err?.code, err?.error_description ?? err?.message].filter(Boolean).join(': ') || String(e)}`);
  if (e instanceof oidc.AuthorizationResponseError) {
    if (e.error === 'access_denied') return new ProviderError('cancelled', 'You did not allow Multibank to read your Everifin accounts.', { providerCode: e.error });
    return new ProviderError('link_expired', 'Everifin ended the sign-in before it was finished. Start linking again.', { providerCode: e.error });
  }
  if (e instanceof oidc.ResponseBodyError) {
    const info = { providerCode: e.error, status: e.status };
    if (e.error === 'invalid_grant') {
      return step === 'code'
        ? new ProviderError('link_expired', 'This Everifin sign-in was already used or has expired. Start linking again.', info)
        : expiredError(e.error);
    }
    if (e.error === 'invalid_client' || e.error === 'unauthorized_client') return new ProviderError('auth_failed', 'Everifin did not accept the client ID or secret.', info);
    if (e.status === 429) return new ProviderError('rate_limited', SLOW_DOWN, info);
    if (e.status >= 500) return new ProviderError('bank_unavailable', UNAVAILABLE, info);
    return new ProviderError('bad_response', 'Everifin refused the request. Nothing was changed.', info);
  }
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return new ProviderError('timeout', 'Everifin did not answer in time. Nothing was changed.');
  if (err?.code === 'OAUTH_INVALID_RESPONSE' || err?.code === 'OAUTH_RESPONSE_IS_NOT_JSON' || err?.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') {
    const status = (err.cause as { status?: number } | undefined)?.status;
    if (typeof status === 'number' && status >= 500) return new ProviderError('bank_unavailable', UNAVAILABLE, { status });
    if (typeof status === 'number' && status === 429) return new ProviderError('rate_limited', SLOW_DOWN, { status });
    return new ProviderError('bad_response', UNREADABLE, { providerCode: err.code });
  }
  if (err?.code?.startsWith?.('OAUTH_')) {
    if (step === 'code') return new ProviderError('link_expired', 'The Everifin sign-in could not be completed. Start linking again.', { providerCode: err.code });
    return new ProviderError('bad_response', UNREADABLE, { providerCode: err.code });
  }
  return new ProviderError('network', 'Could not reach Everifin. Nothing was changed.');
}
