// runCli in the test's own process, for the CLI tests: every run opens the service on the same data dir, cipher,
// key home and preferences, as separate invocations on one machine would; output is captured.
import { PassThrough } from 'node:stream';
import { silentLogger } from '../../../main/log/index.js';
import { runCli } from '../../../main/cli/program.js';
import { createMemoryPrefsStore, createService, type MultibankService, type ServiceOptions } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import type { ProviderRegistry } from '../../../main/providers/hub.js';

/** `extra` is read at every run: a test changes it between runs (a clock, how the database is opened, a hook on the service). */
export function inProcessCli(dataDir: string, providers?: ProviderRegistry, extra: Partial<ServiceOptions> & { onOpen?(service: MultibankService): void } = {}) {
  const cipher = new TestCipher(); const keyStore = new MemorySealedKeyStore(); const prefs = createMemoryPrefsStore();
  const openService = async (dir: string): Promise<MultibankService> => {
    const { onOpen, ...options } = extra;
    const service = await createService({
      dataDir: dir, cipher, keyStore, prefs, redirectMode: 'loopback', background: false, logger: silentLogger, ...(providers ? { providers } : {}), ...options,
    });
    onOpen?.(service);
    return service;
  };
  /** io: a stdin to read from (a terminal when it has isTTY) and the environment; default an empty pipe and none */
  return async (args: string[], onStdout?: (text: string) => void, io: { stdin?: NodeJS.ReadableStream & { isTTY?: boolean }; env?: NodeJS.ProcessEnv; onStderr?: (text: string) => void } = {}) => {
    const stdout = new PassThrough(); const stderr = new PassThrough();
    let out = ''; let err = '';
    stdout.on('data', (d) => { out += d; onStdout?.(String(d)); });
    stderr.on('data', (d) => { err += d; io.onStderr?.(String(d)); });
    const code = await runCli(['--data-dir', dataDir, ...args], { out: { stdout, stderr }, env: io.env ?? {}, stdin: io.stdin ?? new PassThrough(), openService });
    return { code, out, err };
  };
}

/** The "browser" of a scripted aggregator: when the output names an authorization URL, follow its redirect_uri back
 * to the loopback listener with the scripted good code and the state. */
export function followAuthorization(text: string) {
  const m = /"authorizationUrl":"([^"]+)"/.exec(text);
  if (!m) return;
  const auth = new URL(m[1]);
  const back = new URL(auth.searchParams.get('redirect_uri')!);
  back.searchParams.set('code', 'good-code');
  back.searchParams.set('state', auth.searchParams.get('state')!);
  void fetch(back);
}

/** `providers configure <provider>` with the address, client and options the sandbox describes for it */
export function configureArgs(provider: string, d: { baseUrl: string; clientId: string; clientSecret: string; options?: Record<string, string> }): string[] {
  return ['providers', 'configure', provider, '--base-url', d.baseUrl, '--client-id', d.clientId, '--client-secret', d.clientSecret,
    ...Object.entries(d.options ?? {}).flatMap(([k, v]) => ['--option', `${k}=${v}`])];
}
