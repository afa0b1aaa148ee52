// The demo banks: a sandbox (sandbox/, started by main/demo as a child process) whose world is kept in the data dir,
// so that demo connections survive a restart as real ones do. Started again when Multibank starts (or, in the CLI,
// when a command needs an aggregator), until the user stops them; the aggregators set up for the demo follow it
// when its ports change. What the app says about them comes from here (demo.status).
import { join } from 'node:path';
import type { DemoStatusDto, ProviderDto } from '../../preload/contract/channels.js';
import { AppError, english, type MainMessage } from '../domain/errors.js';
import { PROVIDER_IDS, type ProviderId } from '../domain/types.js';
import type { Logger } from '../log/index.js';
import type { Repositories } from '../store/repositories.js';
import type { ProviderHub } from '../providers/hub.js';

/** What demo mode gets from the sandbox launcher (main/demo): per-provider configs and a way to stop it. */
export interface DemoSandbox {
  configs: Record<string, { baseUrl: string; clientId: string; clientSecret: string; options?: Record<string, string> }>;
  /** its control API (GET /health), when known: another Multibank process sees that it runs */
  control?: string;
  /** settles when the sandbox process ended (by stop() or on its own) */
  exited?: Promise<void>;
  stop(): Promise<void> | void;
}

/** the demo world, beside the database */
export const DEMO_WORLD_FILE = 'demo-world.bin';

const META = {
  /** '1' once the demo banks were started here (the "Demo" badge) */
  used: 'demo',
  /** '1' while the user has stopped them: not started again with Multibank */
  stopped: 'demo.stopped',
  /** JSON {provider: baseUrl}: the aggregators the demo set up, at the addresses it gave them */
  providers: 'demo.providers',
  control: 'demo.control',
  /** the sandbox's copy of the ECB's exchange-rate files (sandbox/ecb) */
  rates: 'demo.rates',
};

/** where the demo banks serve their copy of the ECB's exchange-rate files, when they do */
export const demoRatesHost = (repos: Repositories): string | undefined => repos.meta.get(META.rates);

/** the aggregators the demo banks set up, at the addresses they gave them */
export function demoAddresses(repos: Repositories): Record<string, string> {
  try { return JSON.parse(repos.meta.get(META.providers) ?? '{}') as Record<string, string>; } catch { return {}; }
}

export interface DemoBanks {
  /** start them (again) and set up every aggregator that is not set up for something else; clears "stopped" */
  start(): Promise<ProviderDto[]>;
  stop(): Promise<DemoStatusDto>;
  status(): Promise<DemoStatusDto>;
  /** before a request that reaches an aggregator: the demo banks run if they should (a failure is left to that request) */
  ready(): Promise<void>;
  /** whether they should run now (used and not stopped) */
  wanted(): boolean;
  /** stop ours as the service closes (they start again with the next start) */
  close(): Promise<void>;
}

export function createDemoBanks(deps: {
  dataDir: string;
  repos: Repositories;
  hub: ProviderHub;
  log: Logger;
  launch: (o: { stateFile: string }) => Promise<DemoSandbox>;
  /** providers.configure: tests the configuration, then stores it with the client secret bound to its address */
  configure: (c: { provider: ProviderId; baseUrl: string; clientId: string; clientSecret: string; options: Record<string, string> }) => Promise<unknown>;
  providerList: () => ProviderDto[];
  onChange: (status: DemoStatusDto) => void;
}): DemoBanks {
  const { repos, hub, log } = deps;
  let ours: DemoSandbox | null = null;
  let starting: Promise<void> | null = null;
  let failed: MainMessage | null = null;

  const recorded = () => demoAddresses(repos);
  const providersDto = () => Object.entries(recorded()).map(([id, baseUrl]) => ({ id, baseUrl }));

  /** a sandbox another Multibank process (the app, `multibank demo`) runs for this data dir */
  async function runningElsewhere(): Promise<boolean> {
    const control = repos.meta.get(META.control);
    if (!control) return false;
    try {
      const r = await fetch(new URL('/health', control), { signal: AbortSignal.timeout(10_000) });
      return r.ok && ((await r.json()) as { ok?: unknown }).ok === true;
    } catch {
      return false;
    }
  }

  async function status(): Promise<DemoStatusDto> {
    const base = { problem: null, notice: null, providers: providersDto() };
    if (ours) return { ...base, state: 'running' };
    if (starting) return { ...base, state: 'starting' };
    if (repos.meta.get(META.used) !== '1') return { ...base, state: 'off' };
    if (failed) return { ...base, state: 'failed', problem: english(failed), notice: failed };
    return { ...base, state: (await runningElsewhere()) ? 'running' : 'stopped' };
  }
  const announce = () => { void status().then(deps.onChange, () => undefined); };

  /**
   * Point the aggregators the demo set up at the sandbox's (maybe new) addresses, with the sandbox's own client
   * secrets: a secret the user entered is never sent to a changed address, and an aggregator the user set up for a
   * real account since is left alone.
   */
  async function address(sb: DemoSandbox): Promise<void> {
    const before = recorded();
    const legacy = repos.meta.get(META.used) === '1' && repos.meta.get(META.providers) === undefined;
    const next: Record<string, string> = {};
    for (const [id, c] of Object.entries(sb.configs)) {
      if (!(PROVIDER_IDS as readonly string[]).includes(id) || !hub.registry[id as ProviderId]) continue;
      const stored = repos.providerConfigs.get(id as ProviderId);
      const demos = !stored || before[id] === stored.baseUrl || (legacy && /^http:\/\/127\.0\.0\.1:/.test(stored.baseUrl));
      if (!demos) continue;
      const options = c.options ?? {};
      const unchanged = stored && stored.baseUrl === c.baseUrl && stored.clientId === c.clientId && JSON.stringify(stored.options) === JSON.stringify(options);
      if (!unchanged) await deps.configure({ provider: id as ProviderId, baseUrl: c.baseUrl, clientId: c.clientId, clientSecret: c.clientSecret, options });
      next[id] = c.baseUrl;
    }
    repos.meta.set(META.providers, JSON.stringify(next));
    if (sb.configs.ecb) repos.meta.set(META.rates, sb.configs.ecb.baseUrl);
    if (sb.control) repos.meta.set(META.control, sb.control);
    else repos.meta.delete(META.control);
    repos.meta.set(META.used, '1');
  }

  function ensure(): Promise<void> {
    if (ours) return Promise.resolve();
    starting ??= (async () => {
      announce();
      let sb: DemoSandbox | null = null;
      try {
        if (await runningElsewhere()) return;
        sb = await deps.launch({ stateFile: join(deps.dataDir, DEMO_WORLD_FILE) });
        await address(sb);
        // running (for status and requests) once the aggregators point at it
        const running = sb;
        ours = running;
        failed = null;
        void running.exited?.then(() => {
          if (ours !== running) return;
          ours = null;
          log.warn('the demo banks stopped by themselves');
          announce();
        });
      } catch (e) {
        failed = e instanceof AppError ? e.msg : { id: 'demo.not_started' };
        log.warn('the demo banks did not start', { error: e instanceof Error ? e.message : String(e) });
        await sb?.stop();
        throw e;
      } finally {
        starting = null;
        announce();
      }
    })();
    return starting;
  }

  const wanted = () => repos.meta.get(META.used) === '1' && repos.meta.get(META.stopped) !== '1';

  return {
    wanted,
    async start() {
      repos.meta.delete(META.stopped);
      failed = null;
      await ensure();
      return deps.providerList();
    },
    async stop() {
      if (!ours && !starting && await runningElsewhere()) {
        throw new AppError('validation', { id: 'error.demo_other_owner' });
      }
      repos.meta.set(META.stopped, '1');
      await starting?.catch(() => undefined);
      const sb = ours;
      ours = null;
      await sb?.stop();
      const s = await status();
      deps.onChange(s);
      return s;
    },
    status,
    async ready() {
      // a start that failed in this process is not tried again for every request: the user starts them (Settings, CLI)
      if (ours || failed || !wanted()) return;
      await ensure().catch(() => undefined);
    },
    async close() {
      await starting?.catch(() => undefined);
      const sb = ours;
      ours = null;
      await sb?.stop();
    },
  };
}
