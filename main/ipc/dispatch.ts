// IPC dispatch without Electron: sender check -> channel lookup -> zod parse -> service -> Result envelope.
// Used by the Electron glue (ipcMain.handle) and the dev bridge alike. It never throws.
import { z } from 'zod';
import { CHANNELS, EVENT_NAMES, requests, type Channel, type EventName, type Result } from '../../preload/contract/channels.js';
import type { ErrorCode } from '../../preload/contract/errors.js';
import { AppError, english, toErrorDto, type MainMessage, type MessageId } from '../domain/errors.js';
import en from '../../locales/messages/en.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { Service } from '../service/api.js';

/** The one invoke channel and the one event channel between preload and main (preload/index.ts repeats these literals). */
export const IPC_CALL = 'multibank:call';
export const IPC_EVENT = 'multibank:event';

export type Dispatch<S> = (sender: S, channel: unknown, payload: unknown) => Promise<Result<unknown>>;

export interface DispatcherOptions<S> {
  /** false -> every call is answered with `forbidden` and the service is not called */
  isTrustedSender: (sender: S) => boolean;
  logger?: Logger;
}

export function isChannel(channel: unknown): channel is Channel {
  return typeof channel === 'string' && Object.hasOwn(requests, channel);
}

const MAX_MESSAGE = 500;

/** a schema's own words: a catalogue id (preload/contract writes field.*), else null (zod's default English) */
const ownWords = (issue: z.core.$ZodIssue): MainMessage | null => (Object.hasOwn(en, issue.message) && issue.message.startsWith('field.') ? { id: issue.message as MessageId } : null);

/** zod's English of a refused request, for the log: "accountId: Too small: expected number to be >0; …" */
export function validationDetails(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((i) => {
    const path = i.path.map(String).join('.');
    const words = ownWords(i);
    return `${path ? `${path}: ` : ''}${words ? english(words) : i.message}`;
  });
  if (error.issues.length > 5) parts.push(`+${error.issues.length - 5}`);
  const details = parts.join('; ');
  return details.length > MAX_MESSAGE ? details.slice(0, MAX_MESSAGE - 1) + '…' : details;
}

/** A refused request in the reader's words: the first field at fault (its path is data), what is wrong with its value
 *  (the schema's own words, else zod's issue code worded by the catalogue), and how many more problems there are. */
export function validationMessage(error: z.ZodError): MainMessage {
  const [first] = error.issues;
  const path = [...first.path, ...(first.code === 'unrecognized_keys' ? [first.keys.join(', ')] : [])].map(String).join('.');
  const words = ownWords(first);
  const more = error.issues.length - 1;
  if (words) return { id: 'error.invalid_field', values: { reason: words, more } };
  return { id: 'error.invalid_request', values: { field: path || { id: 'error.invalid_request.whole' }, problem: first.code, more } };
}

function failure(code: ErrorCode, message?: MainMessage): Result<never> {
  return { ok: false, error: toErrorDto(new AppError(code, message)) };
}

export function createDispatcher<S>(service: Service, opts: DispatcherOptions<S>): Dispatch<S> {
  const log = opts.logger ?? silentLogger;
  return async (sender, channel, payload) => {
    try {
      let trusted = false;
      try { trusted = opts.isTrustedSender(sender) === true; } catch { trusted = false; }
      if (!trusted) {
        log.warn('ipc call from an untrusted sender refused', { channel: typeof channel === 'string' ? channel.slice(0, 100) : typeof channel });
        return failure('forbidden');
      }
      if (!isChannel(channel)) return failure('validation', { id: 'error.unknown_request_type' });
      const parsed = requests[channel].safeParse(payload);
      if (!parsed.success) {
        log.warn('ipc request refused', { channel, details: validationDetails(parsed.error) });
        return failure('validation', validationMessage(parsed.error));
      }
      const value = await service.call(channel, parsed.data as never);
      return { ok: true, value: value === undefined ? null : value };
    } catch (e) {
      if (e instanceof AppError) {
        if (e.code === 'internal') log.error('ipc call failed', { channel: String(channel), err: e });
        return { ok: false, error: toErrorDto(e) };
      }
      log.error('ipc call failed unexpectedly', { channel: typeof channel === 'string' ? channel : undefined, err: e });
      return { ok: false, error: toErrorDto(e) };
    }
  };
}

/** Subscribe to every service event and hand each to send(name, payload); returns the unsubscribe function. */
export function forwardEvents(service: Pick<Service, 'on'>, send: (event: EventName, payload: unknown) => void, logger: Logger = silentLogger): () => void {
  const offs = EVENT_NAMES.map((name) =>
    service.on(name, (payload) => {
      try { send(name, payload); } catch (e) { logger.warn('event could not be delivered', { event: name, err: e }); }
    }),
  );
  return () => { for (const off of offs) off(); };
}

export { CHANNELS, EVENT_NAMES };
