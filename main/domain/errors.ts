import { ERROR_CODES, type ErrorCode } from '../../preload/contract/errors.js';
import type { ErrorDto } from '../../preload/contract/channels.js';
import { storedMessage, type Message } from '../../preload/contract/message.js';
import { formatMessage, type MessageValue } from '../../locales/format.js';
import type en from '../../locales/messages/en.js';

/** every id main can say: tsc refuses an id that the English catalogue lacks */
export type MessageId = keyof typeof en;
/** what main says to a person: a catalogue id and its values (amounts in minor units + currency, ISO dates) */
export interface MainMessage { id: MessageId; values?: Record<string, MessageValue | MainMessage> }

/** the aggregator's or bank's own words (or an old stored row): shown as written, in every language */
export const verbatim = (text: string): MainMessage => ({ id: 'verbatim', values: { text } });

/** English, for logs, exceptions and the `message` field scripts read */
export const english = (m: MainMessage | Message): string => formatMessage('en', m.id, m.values);

/** a stored message column (JSON {id, values}, or English from before ids) as the message and its English */
export function fromStored(text: string | null): { msg: Message | null; english: string | null } {
  const msg = storedMessage(text);
  return { msg, english: msg && english(msg) };
}

/** An error with a stable code the UI and CLI can act on; `msg` is what the user reads, `message` its English. */
export class AppError extends Error {
  readonly msg: MainMessage;
  constructor(readonly code: ErrorCode, msg?: MainMessage, readonly detail: Record<string, unknown> = {}) {
    const m = msg ?? { id: `error.${code}` };
    super(english(m));
    this.msg = m;
    this.name = 'AppError';
  }
}

/** the catalogue message of what to do about an error code, or null */
export const actionOf = (code: ErrorCode): MainMessage | null => (ERROR_CODES[code].action ? { id: `action.${code}` as MessageId } : null);

/** Any thrown value -> the error envelope of an IPC result, a CLI line or the sync log. */
export function toErrorDto(e: unknown): Required<ErrorDto> {
  const code: ErrorCode = e instanceof AppError ? e.code : 'internal';
  const message = e instanceof AppError ? e.msg : { id: 'error.internal' as const };
  const action = actionOf(code);
  return { code, message: english(message), action: action && english(action), i18n: { message, action } };
}
