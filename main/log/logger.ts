// A small redacting logger. Every value is passed through redact() before it is written, so tokens, client
// secrets, passwords, OAuth codes and any secret registered with registerSecret() never reach a log line.
import { appendFileSync, chmodSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export const REDACTED = '[REDACTED]';

/** Key names (compared lower-case, without '-' and '_') whose values are always hidden. */
const SENSITIVE_KEYS = new Set([
  'token', 'accesstoken', 'refreshtoken', 'idtoken', 'bearer', 'secret', 'clientsecret', 'password', 'passwd', 'pwd', 'passphrase',
  'authorization', 'proxyauthorization', 'code', 'authcode', 'authorizationcode', 'codeverifier', 'apikey', 'cookie', 'setcookie',
  'pin', 'otp', 'tan', 'privatekey', 'datakey', 'sealedkey', 'credentials',
]);
/** Keys ending like these are hidden too (userToken, finapiUserPassword, webhookSecret, ...). */
const SENSITIVE_SUFFIX = /(token|secret|password|passwd|credentials?|apikey)$/;

/** Parameter names hidden inside strings: query strings, form bodies, JSON text, header dumps. */
const PARAM_NAMES = 'access_token|refresh_token|id_token|token|code|code_verifier|client_secret|password|secret|authorization|api_key|apikey';
const QUERY_PARAM = new RegExp(`([?&#;\\s]|^)(${PARAM_NAMES})=([^&#\\s"'<>]*)`, 'gi');
const JSON_PARAM = new RegExp(`("(?:${PARAM_NAMES}|clientSecret|accessToken|refreshToken|idToken)"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const HEADER_LINE = /\b(authorization|proxy-authorization|cookie|set-cookie)(\s*:\s*)([^\r\n]+)/gi;

/** Shortest value registerSecret() accepts: masking 1-3 characters everywhere would shred every log line. */
const MIN_SECRET_LENGTH = 4;
const knownSecrets = new Set<string>();
let secretPattern: RegExp | null = null;

/** Mask this exact value wherever it appears in any later log line (tokens the vault hands out, client secrets...). */
export function registerSecret(value: string | null | undefined): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || knownSecrets.has(value)) return;
  knownSecrets.add(value);
  // longest first, so that a secret containing another is masked whole
  const sorted = [...knownSecrets].sort((a, b) => b.length - a.length);
  secretPattern = new RegExp(sorted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}

/** Forget the registered secrets (tests). */
export function clearRegisteredSecrets(): void {
  knownSecrets.clear();
  secretPattern = null;
}

export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  return SENSITIVE_KEYS.has(k) || SENSITIVE_SUFFIX.test(k);
}

/** Hide secrets inside free text. */
export function redactString(s: string): string {
  let out = s;
  if (secretPattern) out = out.replace(secretPattern, REDACTED);
  out = out.replace(HEADER_LINE, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(QUERY_PARAM, (_m, pre: string, name: string) => `${pre}${name}=${REDACTED}`);
  out = out.replace(JSON_PARAM, (_m, pre: string) => `${pre}"${REDACTED}"`);
  return out;
}

/** A deep copy of value with sensitive keys and secret-looking text replaced. Never throws, handles cycles. */
export function redact(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return String(value);
    return value;
  }
  if (seen.has(value)) return '[Circular]';
  if (depth > 8) return '[Deep]';
  seen.add(value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof URL) return redactString(value.href);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
    if (value.stack) out.stack = redactString(value.stack);
    for (const [k, v] of Object.entries(value)) out[k] = isSensitiveKey(k) ? REDACTED : redact(v, seen, depth + 1);
    if (value.cause !== undefined) out.cause = redact(value.cause, seen, depth + 1);
    return out;
  }
  if (value instanceof Map) return redact(Object.fromEntries(value), seen, depth);
  if (value instanceof Headers) return redact(Object.fromEntries(value.entries()), seen, depth);
  if (Array.isArray(value)) return value.map((v) => redact(v, seen, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSensitiveKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redact(v, seen, depth + 1);
  }
  return out;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** a logger that adds these fields to every line */
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** where lines go; default: stderr */
  sink?: (line: string) => void;
  /** append lines to this file instead of the sink */
  file?: string;
  /** prefixed fields */
  fields?: Record<string, unknown>;
  now?: () => Date;
}

export function fileSink(file: string): (line: string) => void {
  // a log file from an older version may be world-readable: owner-only from now on (the mode below is for new files)
  try { chmodSync(file, 0o600); } catch { /* not there yet, or a file system without modes */ }
  return (line) => appendFileSync(file, line + '\n', { mode: 0o600 });
}

export function streamSink(stream: { write(s: string): unknown }): (line: string) => void {
  return (line) => { stream.write(line + '\n'); };
}

/** Format one line: `2026-01-01T00:00:00.000Z INFO message {"k":"v"}`, everything redacted. */
export function formatLine(level: LogLevel, message: string, fields: Record<string, unknown> | undefined, now: Date): string {
  let line = `${now.toISOString()} ${level.toUpperCase()} ${redactString(String(message)).replace(/[\r\n]+/g, ' ')}`;
  if (fields && Object.keys(fields).length > 0) {
    let json: string;
    try { json = JSON.stringify(redact(fields)); } catch { json = '"[unserializable]"'; }
    line += ' ' + json;
  }
  return line;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const threshold = LEVELS[opts.level ?? (process.env.MULTIBANK_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? LEVELS.info;
  const sink = opts.file ? fileSink(opts.file) : (opts.sink ?? streamSink(process.stderr));
  const now = opts.now ?? (() => new Date());
  const base = opts.fields ?? {};
  const make = (extra: Record<string, unknown>): Logger => {
    const write = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
      if (LEVELS[level] < threshold) return;
      const all = Object.keys(extra).length ? { ...extra, ...fields } : fields;
      try { sink(formatLine(level, message, all, now())); } catch { /* logging never breaks the app */ }
    };
    return {
      debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'),
      child: (fields) => make({ ...extra, ...fields }),
    };
  };
  return make(base);
}

/** A logger that drops everything (default for library code and tests). */
export const silentLogger: Logger = createLogger({ sink: () => {}, level: 'error' });
