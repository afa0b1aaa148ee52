import { ERROR_CODES, type ErrorCode } from '../../preload/contract/errors.js';

/** An error with a stable code the UI and CLI can act on; `message` is what the user reads. */
export class AppError extends Error {
  constructor(readonly code: ErrorCode, message?: string, readonly detail: Record<string, unknown> = {}) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
  }
}

/** Any thrown value -> {code, message, action} for an IPC result, a CLI line or the sync log. */
export function toErrorDto(e: unknown): { code: ErrorCode; message: string; action: string | null } {
  if (e instanceof AppError) return { code: e.code, message: e.message, action: ERROR_CODES[e.code].action };
  return { code: 'internal', message: ERROR_CODES.internal.message, action: ERROR_CODES.internal.action };
}
