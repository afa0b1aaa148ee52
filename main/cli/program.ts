// The `multibank` command line: the same service as the app, for people who script their finances and for tests.
// Every command takes --json; success exits 0, failure exits non-zero with ONE line on stderr.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { PROVIDER_IDS } from '../../preload/contract/providers.js';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { Command, CommanderError, Option } from 'commander';
import type { AccountDto, Channel, LinkStepDto, MatchQuestionDto, Results, RequestOf } from '../../preload/contract/channels.js';
import type { ErrorCode } from '../../preload/contract/errors.js';
import type { Message } from '../../preload/contract/message.js';
import { MAX_STATEMENT_BYTES, type CsvMapping, type StatementFormat } from '../../preload/contract/imports.js';
import { maskIban } from '../../preload/contract/iban.js';
import { ruleConditions } from '../../preload/contract/rules.js';
import { formatCountdown } from '../consent/derive.js';
import { actionOf, AppError, english, type MainMessage, type MessageId } from '../domain/errors.js';
import { formatMessage, type MessageValues } from '../../locales/format.js';
import type uiEn from '../../locales/ui/en.js';
import { LANGUAGES, pickLanguage, type Language } from '../../locales/index.js';
import { posixLanguageTags } from '../service/prefs.js';
import { createDispatcher } from '../ipc/dispatch.js';
import type { ConnectionView } from '../service/dto.js';
import { checkNotSealedElsewhere, openLocalService } from '../index.js';
import { storageError } from '../store/errors.js';
import type { MultibankService } from '../service/index.js';
import { defaultDataDir } from './datadir.js';
import { changePassphrase, hasPassphrase } from '../vault/dbkey.js';
import { dateIn, moneyIn, progressBar, table, type Out } from './output.js';

export interface CliEnv {
  out: Out;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** tests inject a service factory; default: openLocalService over the data dir, under the passphrase (passphraseFor) */
  openService?: (dataDir: string) => Promise<MultibankService>;
}

/** A failure the CLI reports as its one stderr line, in the reader's language. */
export class CliError extends Error {
  constructor(readonly code: string, readonly msg: MainMessage | Message, readonly action: MainMessage | Message | null = null) { super(english(msg)); }
}

/** What the CLI says instead of the app's "open Settings" actions. */
const CLI_ACTIONS: Partial<Record<ErrorCode, MainMessage>> = {
  not_configured: { id: 'cli.action.not_configured' },
  secret_storage_unavailable: { id: 'cli.action.secret_storage_unavailable' },
  auth_failed: { id: 'cli.action.auth_failed' },
  consent_expired: { id: 'cli.action.consent_expired' },
  consent_revoked: { id: 'cli.action.consent_revoked' },
  demo_not_running: { id: 'cli.action.demo_not_running' },
  database_damaged: { id: 'cli.action.database_damaged' },
  vault_key_missing: { id: 'cli.action.vault_key_missing' },
};
const cliAction = (code: ErrorCode): MainMessage | null => CLI_ACTIONS[code] ?? actionOf(code);

/** --lang, else the POSIX locale variables (LC_ALL, LC_MESSAGES, LANG), else English */
export function cliLanguage(argv: string[], env: NodeJS.ProcessEnv): Language {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const given = i < 0 ? undefined : argv[i].startsWith('--lang=') ? argv[i].slice(7) : argv[i + 1];
  if (given !== undefined) {
    const lang = LANGUAGES.find((l) => l === given.toLowerCase());
    if (!lang) throw new CliError('validation', { id: 'cli.error.lang', values: { given, languages: LANGUAGES.join(', ') } });
    return lang;
  }
  return pickLanguage(posixLanguageTags(env));
}

/** where scripts give the passphrase of an encrypted data dir (an argument would be visible in `ps`) */
export const PASSPHRASE_ENV = 'MULTIBANK_PASSPHRASE';

/** the first line of a passphrase file (a trailing newline is not part of the passphrase) */
function readPassphraseFile(file: string): string {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[0];
  } catch (e) {
    throw new CliError('validation', { id: 'cli.error.passphrase_file', values: { file, reason: (e as NodeJS.ErrnoException).code ?? String(e) } }, { id: 'cli.action.passphrase_file' });
  }
}

/** where `providers configure` also takes the client secret from (an argument is visible to other users in `ps`) */
export const SECRET_ENV = 'MULTIBANK_CLIENT_SECRET';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const keyValues = (pairs: string[] = [], what: string): Record<string, string> => Object.fromEntries(pairs.map((p) => {
  const i = p.indexOf('=');
  if (i <= 0) throw new CliError('validation', { id: 'cli.error.key_value', values: { what, text: p } });
  return [p.slice(0, i), p.slice(i + 1)];
}));
/** --map key=column pairs -> a CSV mapping (description, debitValues and creditValues repeat); the contract checks the rest */
const csvMappingOf = (pairs: string[]): CsvMapping => {
  const m: Record<string, unknown> = {};
  for (const pair of pairs) {
    const [k, v] = Object.entries(keyValues([pair], '--map'))[0];
    if (k === 'description' || k === 'debitValues' || k === 'creditValues') m[k] = [...(m[k] as string[] | undefined) ?? [], v];
    else m[k] = v;
  }
  return m as unknown as CsvMapping;
};
const positiveInt = (what: string) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new CliError('validation', { id: 'cli.error.positive', values: { what, text: v } });
  return Number(v);
};
const isoDate = (what: string) => (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) throw new CliError('validation', { id: 'cli.error.date', values: { what, text: v } });
  return v;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** the transaction filter `transactions list` and `export` share, so an export takes exactly what the list shows */
interface FilterFlags { account?: number[]; since?: string; until?: string; search?: string; category?: string }
const withFilterOptions = (c: Command, help: (id: MessageId) => string) => c
  .option('--account <id>', help('cli.help.filter.account'), (v: string, prev: number[] = []) => [...prev, positiveInt('--account')(v)])
  .option('--since <date>', help('cli.help.filter.since'), isoDate('--since'))
  .option('--until <date>', help('cli.help.filter.until'), isoDate('--until'))
  .option('--category <name>', help('cli.help.filter.category'));
/** an unknown --account is an error, not an empty list */
async function checkAccounts(o: FilterFlags, accounts: () => Promise<AccountDto[]>): Promise<void> {
  if (!o.account) return;
  const known = new Set((await accounts()).map((a) => a.id));
  const unknown = o.account.filter((id) => !known.has(id));
  if (unknown.length) throw new CliError('not_found', { id: 'cli.error.no_account', values: { ids: unknown.join(', ') } }, { id: 'cli.action.accounts_list' });
}
const filterOf = (o: FilterFlags) => ({
  ...(o.account ? { accountIds: o.account } : {}), ...(o.since ? { from: o.since } : {}), ...(o.until ? { to: o.until } : {}),
  ...(o.search ? { search: o.search } : {}), ...(o.category ? { category: o.category } : {}),
});

export function buildProgram(cli: CliEnv, language: Language = 'en'): { program: Command; finish(): Promise<void> } {
  const { out } = cli;
  /** a catalogue message in the reader's language */
  const say = (id: MessageId, values?: MainMessage['values']) => formatMessage(language, id, values);
  const money = (minor: number | null | undefined, currency: string) => moneyIn(language, minor, currency);
  /** a word the app says too (locales/ui), e.g. the parts of a rule */
  const word = (id: keyof typeof uiEn, values?: MessageValues) => formatMessage(language, id, values);
  const rule = (r: Parameters<typeof ruleConditions>[0]) => ruleConditions(r, (id) => say('cli.rules.account', { id }), word);
  /** "a or b" in the reader's language */
  const either = (items: string[]) => new Intl.ListFormat(language, { type: 'disjunction' }).format(items);
  /** a command's or option's description in --help */
  const help = (id: MessageId, values?: MainMessage['values']) => say(id, values);
  let service: MultibankService | null = null;
  const program = new Command('multibank')
    .description(help('cli.help.program'))
    .option('--data-dir <dir>', help('cli.help.data_dir'))
    .option('--lang <code>', help('cli.help.lang', { languages: LANGUAGES.join(', ') }))
    .option('--passphrase-file <file>', help('cli.help.passphrase_file', { env: PASSPHRASE_ENV }))
    .showHelpAfterError(false)
    // --help in the reader's language: commander's own headings and its help option and command
    .configureHelp({ styleTitle: (title) => say('cli.help.title', { title: title.replace(/:$/, '').toLowerCase().replace(' ', '_') }) })
    .helpOption('-h, --help', help('cli.help.help'))
    .helpCommand('help [command]', help('cli.help.help'))
    .configureOutput({ writeOut: (s) => out.stdout.write(s), writeErr: (s) => out.stderr.write(s), outputError: () => {} })
    .exitOverride();

  const open = async (): Promise<MultibankService> => {
    if (service) return service;
    const dataDir = (program.opts().dataDir as string | undefined) ?? defaultDataDir(cli.env);
    try {
      service = cli.openService
        ? await cli.openService(dataDir)
        : await openLocalService(dataDir, { background: false, passphrase: await passphraseFor(dataDir) });
    } catch (e) {
      if (e instanceof AppError && e.detail.dataDir) throw new CliError(e.code, e.msg, { id: 'cli.action.data_dir' });
      throw e;
    }
    // what start-up handled on its own (a damaged preferences file kept aside) is said once, on stderr
    for (const notice of (await service.call('app.info', undefined)).notices ?? []) out.stderr.write(`multibank: ${say(notice.id as MessageId, notice.values)}\n`);
    return service;
  };
  /** validated through the same dispatcher as IPC: one set of rules for every front end */
  const call = async <C extends Channel>(channel: C, request?: RequestOf<C>): Promise<Results[C]> => {
    const svc = await open();
    const result = await createDispatcher<null>(svc, { isTrustedSender: () => true })(null, channel, request);
    if (!result.ok) throw new CliError(result.error.code, result.error.i18n?.message ?? { id: 'verbatim', values: { text: result.error.message } }, cliAction(result.error.code));
    return result.value as Results[C];
  };
  const print = (json: boolean, value: unknown, human: () => string) => {
    out.stdout.write(json ? JSON.stringify(value) + '\n' : human());
  };
  /** every command gets --json */
  const cmd = (parent: Command, name: string, description: string) => parent.command(name).description(description).option('--json', help('cli.help.json'));
  /** a category by its name (any case), as `categories list` shows it */
  const categoryNamed = async (name: string) => {
    const found = (await call('categories.list')).find((c) => c.name.toLowerCase() === name.trim().toLowerCase());
    if (!found) throw new CliError('not_found', { id: 'cli.error.no_category', values: { name } }, { id: 'cli.action.categories_list' });
    return found;
  };
  /** the filter's --category as the list spells it; an unknown one is an error, not an empty list */
  const checkCategory = async (o: FilterFlags) => { if (o.category) o.category = (await categoryNamed(o.category)).name; };

  // ---- providers
  const providers = program.command('providers').description(help('cli.help.providers'));
  cmd(providers, 'list', help('cli.help.providers.list')).action(async (o: { json?: boolean }) => {
    const list = await call('providers.list');
    print(!!o.json, list, () => table(list.map((p) => ({ ...p, configured: say('cli.yes_no', { yes: p.configured ? 'yes' : 'no' }), options: Object.entries(p.options).map(([k, v]) => `${k}=${v}`).join(' ') })), [
      { key: 'id', title: 'ID' }, { key: 'name', title: say('cli.col.name') }, { key: 'configured', title: say('cli.col.configured') }, { key: 'baseUrl', title: say('cli.col.base_url') },
      { key: 'clientId', title: say('cli.col.client_id') }, { key: 'options', title: say('cli.col.options') },
    ]) || say('cli.providers.none') + '\n');
  });
  cmd(providers, 'configure', help('cli.help.providers.configure'))
    .argument('<id>', PROVIDER_IDS.join(' | '))
    .requiredOption('--base-url <url>', help('cli.help.providers.configure.base_url'))
    .requiredOption('--client-id <id>', help('cli.help.providers.configure.client_id'))
    .option('--client-secret <secret>', help('cli.help.providers.configure.client_secret'))
    .option('--client-secret-stdin', help('cli.help.providers.configure.client_secret_stdin'))
    .option('--option <key=value>', help('cli.help.providers.configure.option'), collect)
    .addHelpText('after', `\n${help('cli.help.providers.configure.after', { env: SECRET_ENV })}`)
    .action(async (id: string, o: { json?: boolean; baseUrl: string; clientId: string; clientSecret?: string; clientSecretStdin?: boolean; option?: string[] }) => {
      const clientSecret = await clientSecretFrom(o);
      const p = await call('providers.configure', {
        provider: id as never, baseUrl: o.baseUrl, clientId: o.clientId, options: keyValues(o.option, '--option'),
        ...(clientSecret !== undefined ? { clientSecret } : {}),
      });
      print(!!o.json, p, () => say('cli.providers.configured', { name: p.name, baseUrl: p.baseUrl ?? '' }) + '\n');
    });

  /** the client secret from the flag, stdin, the environment or a hidden prompt; undefined keeps the stored one */
  async function clientSecretFrom(o: { clientSecret?: string; clientSecretStdin?: boolean }): Promise<string | undefined> {
    if (o.clientSecret !== undefined && o.clientSecretStdin) throw new CliError('validation', { id: 'cli.error.secret_twice' });
    if (o.clientSecret !== undefined) return o.clientSecret;
    if (o.clientSecretStdin) {
      const secret = (await readAll(cli.stdin)).replace(/\r?\n$/, '');
      if (!secret) throw new CliError('validation', { id: 'cli.error.secret_stdin_empty' });
      return secret;
    }
    if (cli.env[SECRET_ENV]) return cli.env[SECRET_ENV];
    if (cli.stdin.isTTY) return (await prompt(say('cli.prompt.client_secret'), true)) || undefined;
    return undefined;
  }

  // ---- demo
  const demoSays = (s: Results['demo.status']) => {
    const where = s.providers.map((p) => `  ${p.id.padEnd(10)} ${p.baseUrl}\n`).join('');
    switch (s.state) {
      case 'off': return say('cli.demo.off') + '\n';
      case 'running': case 'starting': return `${say('cli.demo.running')}\n${where}`;
      case 'failed': return `${say('cli.demo.failed')} ${s.notice ? say(s.notice.id as MessageId, s.notice.values) : ''}\n`;
      default: return say('cli.demo.stopped') + '\n';
    }
  };
  cmd(program, 'demo', help('cli.help.demo'))
    .option('--no-wait', help('cli.help.demo.no_wait'))
    .option('--stop', help('cli.help.demo.stop'))
    .option('--status', help('cli.help.demo.status'))
    .action(async (o: { json?: boolean; wait: boolean; stop?: boolean; status?: boolean }) => {
      if (o.stop || o.status) {
        const s = await call(o.stop ? 'demo.stop' : 'demo.status');
        print(!!o.json, s, () => demoSays(s));
        return;
      }
      const list = await call('demo.start');
      const names = list.filter((p) => p.configured).map((p) => p.name).join(', ');
      // this process ends the sandbox it started as it exits; later commands start it again from the kept world
      print(!!o.json, list, () => say(o.wait ? 'cli.demo.started' : 'cli.demo.set_up', { names }) + '\n');
      if (!o.wait) return;
      out.stderr.write(say('cli.demo.keep_running') + '\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    });

  // ---- institutions
  cmd(program, 'institutions', help('cli.help.institutions'))
    .argument('<provider>', help('cli.help.institutions.provider'))
    .option('--query <text>', help('cli.help.institutions.query'), '')
    .action(async (provider: string, o: { json?: boolean; query: string }) => {
      const list = await call('institutions.list', { provider: provider as never, query: o.query });
      print(!!o.json, list, () => table(list.map((i) => ({ ...i, methods: i.methods?.join(',') })), [
        { key: 'id', title: 'ID' }, { key: 'name', title: say('cli.col.name') }, { key: 'country', title: say('cli.col.country') }, { key: 'methods', title: say('cli.col.methods') },
      ]) || say('cli.institutions.none') + '\n');
    });

  /** an --institution the aggregator does not list is named as such (some aggregators answer it with an unreadable error) */
  async function checkInstitution(provider: string, institutionId: string): Promise<void> {
    const listed = await call('institutions.list', { provider: provider as never, query: '' });
    // an aggregator without a bank list (Everifin: the bank is chosen on its pages) cannot be checked here
    if (listed.length && !listed.some((i) => i.id === institutionId)) {
      const name = (await call('providers.list')).find((p) => p.id === provider)?.name ?? provider;
      throw new CliError('not_found', { id: 'cli.error.no_bank', values: { id: institutionId, aggregator: name } }, { id: 'cli.action.institutions', values: { provider } });
    }
  }

  // ---- connect
  cmd(program, 'connect', help('cli.help.connect'))
    .argument('<provider>', help('cli.help.institutions.provider'))
    .option('--institution <id>', help('cli.help.connect.institution'))
    .option('--renew <connectionId>', help('cli.help.connect.renew'), positiveInt('--renew'))
    .option('--callback <url>', help('cli.help.connect.callback'))
    .option('--no-wait', help('cli.help.connect.no_wait'))
    .option('--field <key=value>', help('cli.help.connect.field'), collect)
    .option('--accounts <ids>', help('cli.help.connect.accounts'), 'all')
    .option('--match <key=id>', help('cli.help.connect.match'), collect)
    .option('--no-sync', help('cli.help.connect.no_sync'))
    .option('--timeout <seconds>', help('cli.help.connect.timeout'), positiveInt('--timeout'), 600)
    .action(async (provider: string, o: { json?: boolean; institution?: string; renew?: number; callback?: string; wait: boolean; field?: string[]; match?: string[]; accounts: string; sync: boolean; timeout: number }) => {
      const svc = await open();
      const fields = keyValues(o.field, '--field');
      let linkId = '';
      const changed: LinkStepDto[] = [];
      const off = svc.on('link.changed', (s) => { if (!linkId || s.linkId === linkId) changed.push(s); });
      try {
        let step: LinkStepDto;
        let renewing = !!o.renew;
        if (o.callback && o.callback !== '-') {
          // finish a sign-in parked by an earlier run
          if (!(await svc.handleRedirect(o.callback.trim()))) {
            throw new CliError('link_expired', { id: 'cli.error.callback_unknown' });
          }
          step = changed.shift()!;
          linkId = step.linkId;
          if (step.kind === 'redirect') step = await call('link.poll', { linkId });
          // a renewal's connection has synced before; a new one waits for its accounts to be chosen
          const finished = step;
          if (finished.kind === 'done') renewing = (await call('connections.list')).find((c) => c.id === finished.connectionId)?.lastSuccessAt != null;
          else if (finished.kind === 'match') renewing = true; // only a renewal asks which accounts continue
        } else {
          if (o.institution && !o.renew) await checkInstitution(provider, o.institution);
          step = await call('link.begin', { provider: provider as never, ...(o.institution ? { institutionId: o.institution } : {}), ...(o.renew ? { renewConnectionId: o.renew } : {}) });
          linkId = step.linkId;
        }
        const deadline = Date.now() + o.timeout * 1000;
        while (step.kind !== 'done') {
          if (Date.now() > deadline) throw new CliError('cancelled', { id: 'cli.error.gave_up_bank' });
          if (step.kind === 'redirect') {
            if (o.json) out.stdout.write(JSON.stringify({ authorizationUrl: step.url }) + '\n');
            else out.stdout.write(`${say('cli.connect.open')}\n${step.url}\n`);
            if (!o.wait) {
              out.stderr.write(say('cli.connect.finish_later', { provider }) + '\n');
              linkId = ''; // parked for a later run: not cancelled
              return;
            }
            step = await waitForRedirect(svc, step, o.callback, () => changed.shift(), deadline);
          } else if (step.kind === 'form') {
            const values: Record<string, string> = {};
            for (const f of step.fields) {
              let v = fields[f.name];
              if (v === undefined && cli.stdin.isTTY) v = await prompt(say('cli.prompt.field', { label: f.label, optional: f.required ? 'no' : 'yes' }), f.type === 'password');
              if (v === undefined || v === '') {
                if (f.required) throw new CliError('validation', { id: 'cli.error.field_needed', values: { label: f.label, name: f.name } });
                continue;
              }
              if (f.regex && !new RegExp(f.regex).test(v)) throw new CliError('validation', { id: 'cli.error.field_format', values: { label: f.label } });
              values[f.name] = v;
            }
            if (step.message) out.stderr.write(step.message + '\n');
            step = await call('link.submit', { linkId, values });
          } else if (step.kind === 'match') {
            step = await call('link.match', { linkId, choices: matchChoices(step.questions, keyValues(o.match, '--match')) });
          } else {
            out.stderr.write((step.notice ? say(step.notice.id as MessageId, step.notice.values) : step.message) + '\n');
            await sleep(Math.min(Math.max(step.pollAfterMs, 200), 10_000));
            step = await call('link.poll', { linkId });
          }
        }
        const done = step;
        const linkedElsewhere = new Set(done.alreadyLinked.map((l) => l.accountId));
        if (linkedElsewhere.size) out.stderr.write(alreadyLinkedNote(done));
        const ids = o.accounts === 'all'
          ? done.accounts.filter((a) => !linkedElsewhere.has(a.id)).map((a) => a.id)
          : o.accounts.split(',').filter(Boolean).map(positiveInt('--accounts'));
        let accounts: AccountDto[] = done.accounts;
        if (!renewing) accounts = await call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: ids });
        if (o.sync) await waitForSync(svc, [done.connectionId], !!o.json);
        else await call('sync.cancel', { connectionId: done.connectionId });
        print(!!o.json, { connectionId: done.connectionId, accounts, alreadyLinked: done.alreadyLinked }, () =>
          say('cli.connect.linked', { id: done.connectionId }) + '\n' + accountTable(accounts.filter((a) => a.selected)));
      } catch (e) {
        if (linkId) await svc.call('link.cancel', { linkId }).catch(() => {});
        throw e;
      } finally {
        off();
      }
    });

  /** what a new link says about accounts another connection already holds, and how to renew that one instead */
  function alreadyLinkedNote(done: LinkStepDto & { kind: 'done' }): string {
    const lines = done.alreadyLinked.map((l) => {
      const a = done.accounts.find((x) => x.id === l.accountId)!;
      return say('cli.connect.already_linked_account', { id: a.id, name: a.name, what: maskIban(a.iban) ?? a.number ?? a.type, currency: a.currency, connectionId: l.connectionId, bank: l.institutionName }) + '\n';
    });
    const renew = [...new Map(done.alreadyLinked.map((l) => [l.connectionId, l])).values()].map((l) =>
      `  multibank connections remove ${done.connectionId} --delete-data && multibank connect ${l.provider} --renew ${l.connectionId}\n`);
    return `${say('cli.connect.already_linked')}\n${lines.join('')}${say('cli.connect.renew_instead')}\n${renew.join('')}`;
  }

  /** --match answers for a renewal's questions; a missing one ends with the questions and their candidates */
  function matchChoices(questions: MatchQuestionDto[], answers: Record<string, string>) {
    const missing = questions.filter((q) => answers[q.remoteKey] === undefined);
    if (missing.length) {
      const asked = missing.map((q) => say('cli.match.question', {
        key: q.remoteKey, name: q.name, what: q.maskedIban ?? q.number ?? q.type, currency: q.currency,
        candidates: either(q.candidates.map((c) => say('cli.match.candidate', {
          id: c.accountId, name: c.name, overlaps: c.overlaps, newest: c.lastTransactionDate ? dateIn(language, c.lastTransactionDate) : say('cli.match.no_newest'),
        }))),
      }));
      throw new CliError('needs_user', { id: 'cli.error.match_needed', values: { asked: asked.join('; ') } }, { id: 'cli.action.match' });
    }
    return questions.map((q) => ({ remoteKey: q.remoteKey, accountId: answers[q.remoteKey] === 'new' ? null : positiveInt('--match')(answers[q.remoteKey]) }));
  }

  async function waitForRedirect(svc: MultibankService, step: LinkStepDto & { kind: 'redirect' }, callback: string | undefined, next: () => LinkStepDto | undefined, deadline: number): Promise<LinkStepDto> {
    let pasted: Promise<string | null> | null = null;
    if (callback === '-' || (callback === undefined && cli.stdin.isTTY)) {
      if (cli.stdin.isTTY) out.stderr.write(say('cli.connect.waiting_paste') + '\n');
      pasted = readLine(cli.stdin);
    } else if (callback) {
      pasted = Promise.resolve(callback);
    } else {
      out.stderr.write(say('cli.connect.waiting') + '\n');
    }
    let pastedUrl: string | null = null;
    void pasted?.then((u) => { pastedUrl = u; });
    while (Date.now() < deadline) {
      const ev = next();
      if (ev && ev.kind !== 'redirect') return ev;
      if (ev) return call('link.poll', { linkId: step.linkId }); // the redirect failed: link.poll reports why
      if (pastedUrl !== null) {
        const url: string = pastedUrl;
        pastedUrl = null;
        if (!(await svc.handleRedirect(url.trim()))) {
          throw new CliError('link_expired', { id: 'cli.error.callback_other' });
        }
        return call('link.poll', { linkId: step.linkId });
      }
      await sleep(100);
    }
    throw new CliError('cancelled', { id: 'cli.error.gave_up_browser' });
  }

  async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    return text;
  }

  /**
   * The passphrase the data dir is (or, new or plain, will be) encrypted under: --passphrase-file, else the environment
   * (scripts), else a hidden prompt on a terminal (typed twice when it is chosen now). None at all: refused before
   * anything is written. A data dir the app encrypted under the OS keyring is refused first: no passphrase opens it.
   */
  async function passphraseFor(dataDir: string): Promise<string> {
    checkNotSealedElsewhere(dataDir);
    const file = program.opts().passphraseFile as string | undefined;
    if (file !== undefined) return readPassphraseFile(file);
    if (cli.env[PASSPHRASE_ENV]) return cli.env[PASSPHRASE_ENV];
    if (!cli.stdin.isTTY) throw new CliError('passphrase_required', { id: 'cli.error.passphrase_needed', values: { dir: dataDir } }, { id: 'cli.action.passphrase_needed' });
    if (hasPassphrase(dataDir)) return prompt(say('cli.prompt.passphrase'), true);
    const chosen = await prompt(say('cli.prompt.new_passphrase', { dir: dataDir }), true);
    if (await prompt(say('cli.prompt.repeat_passphrase'), true) !== chosen) throw new CliError('validation', { id: 'cli.error.passphrases_differ' }, { id: 'cli.action.passphrases_differ' });
    return chosen;
  }

  function readLine(stream: NodeJS.ReadableStream): Promise<string | null> {
    return new Promise((resolve) => {
      const rl = createInterface({ input: stream, terminal: false });
      rl.once('line', (l) => { rl.close(); resolve(l); });
      rl.once('close', () => resolve(null));
    });
  }

  function prompt(question: string, secret: boolean): Promise<string> {
    return new Promise((resolve) => {
      const output = out.stderr as unknown as NodeJS.WritableStream;
      const rl = createInterface({ input: cli.stdin, output, terminal: true });
      if (secret) {
        const write = (rl as unknown as { _writeToOutput(s: string): void });
        write._writeToOutput = (s: string) => { if (s.includes(question)) output.write(s); };
      }
      rl.question(question, (a) => { rl.close(); if (secret) output.write('\n'); resolve(a); });
    });
  }

  async function waitForSync(svc: MultibankService, ids: number[], json: boolean) {
    const bar = progressBar(out.stderr);
    const phases = { refresh: 0.1, accounts: 0.25, transactions: 0.5, done: 1, error: 1 } as const;
    const progress = new Map<number, number>(ids.map((id) => [id, 0]));
    const counts = { new: 0, updated: 0 };
    const off = svc.on('sync.progress', (p) => {
      if (!progress.has(p.connectionId)) return;
      const base = phases[p.phase];
      progress.set(p.connectionId, p.phase === 'transactions' ? Math.min(0.95, base + p.pages * 0.02) : base);
      if (p.phase === 'done') { counts.new += p.counts.new; counts.updated += p.counts.updated; }
      const total = [...progress.values()].reduce((a, b) => a + b, 0) / progress.size;
      if (!json) bar.update(total, p.msg ? say(p.msg.id as MessageId, p.msg.values) : p.message);
    });
    try {
      await svc.idle();
    } finally {
      off();
      bar.done();
    }
  }

  const accountTable = (accounts: AccountDto[]) => table(accounts.map((a) => ({
    ...a, iban: a.iban ?? a.number ?? '', type: say('cli.account_type', { type: a.type }), balance: money(a.balanceCurrent, a.currency), selected: say('cli.yes_no', { yes: a.selected ? 'yes' : 'no' }),
    balanceCurrentDate: a.balanceCurrentDate && dateIn(language, a.balanceCurrentDate),
    // the same bank account through other connections: which copy is shown and counted (`accounts prefer`)
    sameAs: !a.sameAccount ? '' : a.sameAccount.primaryId === a.id ? say('cli.accounts.shown') : say('cli.accounts.copy_of', { id: a.sameAccount.primaryId }),
  })), [
    { key: 'id', title: 'ID', right: true }, { key: 'connectionId', title: say('cli.col.conn'), right: true }, { key: 'bankName', title: say('cli.col.bank') },
    { key: 'name', title: say('cli.col.name') }, { key: 'iban', title: say('cli.col.iban') }, { key: 'type', title: say('cli.col.type') },
    { key: 'balance', title: say('cli.col.balance'), right: true }, { key: 'balanceCurrentDate', title: say('cli.col.as_of') }, { key: 'selected', title: say('cli.col.synced') },
    { key: 'sameAs', title: say('cli.col.same_account') },
  ]) || say('cli.accounts.none') + '\n';

  // ---- connections
  const connections = program.command('connections').description(help('cli.help.connections'));
  cmd(connections, 'list', help('cli.help.connections.list')).action(async (o: { json?: boolean }) => {
    const list = (await call('connections.list')) as ConnectionView[];
    print(!!o.json, list, () => table(list.map((c) => ({
      ...c, state: say('cli.consent_state', { state: c.state }), expires: c.expiresAt ? `${c.expiresAt.slice(0, 10)} (${formatCountdown(c.msLeft, language)})` : '',
      last: c.lastSuccessAt?.slice(0, 16).replace('T', ' ') ?? say('cli.never'),
      note: c.lastError ? say(c.lastError.id as MessageId, c.lastError.values) : c.notice ? say(c.notice.id as MessageId, c.notice.values) : c.message ?? '',
    })), [
      { key: 'id', title: 'ID', right: true }, { key: 'provider', title: say('cli.col.provider') }, { key: 'institutionName', title: say('cli.col.bank') },
      { key: 'state', title: say('cli.col.state') }, { key: 'expires', title: say('cli.col.consent_expires') }, { key: 'accountCount', title: say('cli.col.accounts'), right: true },
      { key: 'last', title: say('cli.col.last_sync') }, { key: 'note', title: say('cli.col.note') },
    ]) || say('cli.connections.none') + '\n');
  });
  cmd(connections, 'remove', help('cli.help.connections.remove'))
    .argument('<id>', help('cli.help.connections.remove.id'), positiveInt('connection id'))
    .option('--delete-data', help('cli.help.connections.remove.delete_data'))
    .option('--local-only', help('cli.help.connections.remove.local_only'))
    .action(async (id: number, o: { json?: boolean; deleteData?: boolean; localOnly?: boolean }) => {
      try {
        await call('connections.remove', { connectionId: id, deleteLocalData: !!o.deleteData, localOnly: !!o.localOnly });
      } catch (e) {
        if (!(e instanceof CliError) || ['validation', 'not_found', 'database_damaged', 'vault_key_missing'].includes(e.code)) throw e;
        throw new CliError(e.code, e.msg, { id: 'cli.action.remove_local', values: { command: `multibank connections remove ${id}${o.deleteData ? ' --delete-data' : ''} --local-only` } });
      }
      const pending = o.localOnly ? (await call('revocations.list')).find((r) => r.connectionId === id) : undefined;
      print(!!o.json, { removed: id, deletedLocalData: !!o.deleteData, ...(o.localOnly ? { withdrawnAtAggregator: !pending } : {}) }, () =>
        say('cli.connection.removed', { id, deleted: o.deleteData ? 'yes' : 'no' }) + '\n'
        + (pending ? say('cli.connection.not_withdrawn', { id, provider: pending.provider, howTo: pending.howTo as MainMessage }) + '\n' : ''));
    });
  cmd(connections, 'revocations', help('cli.help.connections.revocations')).action(async (o: { json?: boolean }) => {
    const list = await call('revocations.list');
    print(!!o.json, list, () => list.map((r) => say('cli.revocations.item', { id: r.connectionId, bank: r.institutionName, provider: r.provider, since: r.since.slice(0, 10), howTo: r.howTo as MainMessage }) + '\n').join('')
      || say('cli.revocations.none') + '\n');
  });
  cmd(connections, 'revoke', help('cli.help.connections.revoke'))
    .argument('<id>', help('cli.help.connections.revoke.id'), positiveInt('connection id'))
    .option('--forget', help('cli.help.connections.revoke.forget'))
    .action(async (id: number, o: { json?: boolean; forget?: boolean }) => {
      const left = o.forget ? await call('revocations.forget', { connectionId: id }) : await call('revocations.retry', { connectionId: id });
      print(!!o.json, { connectionId: id, withdrawn: !o.forget, pending: left }, () => say(o.forget ? 'cli.revoke.forgotten' : 'cli.revoke.withdrawn', { id }) + '\n');
    });

  // ---- sync
  /** a redacted problem report of one sync run, written to a file (issue 16) */
  const saveReport = async (runId: number, file: string) => {
    const r = await call('sync.report', { runId });
    writeFileSync(file, r.content, { mode: 0o600 });
    out.stderr.write(`multibank: ${say('cli.sync.report_saved', { runId, file })}\n`);
  };
  const reportable = (r: Pick<Results['sync.log'][number], 'outcome' | 'unreadableCount'>) => ['error', 'interrupted', 'cancelled'].includes(r.outcome) || (r.unreadableCount ?? 0) > 0;

  cmd(program, 'sync', help('cli.help.sync'))
    .option('--connection <id>', help('cli.help.sync.connection'), positiveInt('--connection'))
    .option('--report <file>', help('cli.help.sync.report'))
    .action(async (o: { json?: boolean; connection?: number; report?: string }) => {
      const svc = await open();
      const { started } = await call('sync.run', o.connection ? { connectionId: o.connection } : {});
      await waitForSync(svc, started, !!o.json);
      // this process's own runs, as the engine returned them (another process may sync the same connections, and a run
      // that could not write may be missing from the log or still show 'running' there)
      const log = started.length ? await call('sync.log', { limit: 500 }) : [];
      const names = new Map(started.length ? (await call('connections.list')).map((c) => [c.id, c.institutionName]) : []);
      const latest = started.map((id) => {
        const r = svc.syncResult(id) ?? { runId: null, outcome: 'error', counts: { new: 0, updated: 0, retired: 0, unchanged: 0 }, error: { code: 'internal' as const, message: say('cli.sync.no_result'), msg: { id: 'cli.sync.no_result' } as MainMessage } };
        const row = log.find((x) => x.id === r.runId);
        return {
          ...row, id: r.runId, connectionId: id, institutionName: row?.institutionName ?? names.get(id) ?? null, outcome: r.outcome,
          newCount: r.counts.new, updatedCount: r.counts.updated, retiredCount: r.counts.retired, unchangedCount: r.counts.unchanged,
          // scripts read English; `error` is the same as a catalogue message
          errorCode: r.error?.code ?? null, errorMessage: r.error?.message ?? null, error: r.error?.msg ?? null,
        };
      });
      print(!!o.json, { started, runs: latest }, () => (started.length === 0 ? say('cli.sync.nothing') + '\n' : table(latest.map((r) => ({
        ...r, outcome: say('cli.outcome', { outcome: r.outcome }),
        counts: say('cli.sync.counts', { new: r.newCount, updated: r.updatedCount, retired: r.retiredCount, unreadable: r.unreadableCount ?? 0 }),
        error: r.error ? say(r.error.id as MessageId, r.error.values) : '',
      })), [
        { key: 'connectionId', title: say('cli.col.conn'), right: true }, { key: 'institutionName', title: say('cli.col.bank') }, { key: 'outcome', title: say('cli.col.outcome') },
        { key: 'counts', title: say('cli.col.transactions') }, { key: 'error', title: say('cli.col.error') },
      ])));
      const toReport = latest.find(reportable);
      if (o.report && toReport?.id) await saveReport(toReport.id, o.report);
      const failed = latest.find((r) => r.errorCode);
      if (failed) {
        const code = failed.errorCode!;
        const why = failed.error ?? { id: 'verbatim', values: { text: code } };
        throw new CliError(code, { id: 'cli.sync.failed', values: { connectionId: failed.connectionId, skipped: failed.outcome === 'skipped' ? 'yes' : 'no', why } }, cliAction(code));
      }
      // synced, but the bank wants the user before the next one: say so (the data is what the aggregator had)
      const conns = (await call('connections.list')).filter((c) => started.includes(c.id) && ['needs_user', 'expired', 'revoked', 'action_at_bank'].includes(c.state));
      for (const c of conns) {
        out.stderr.write(`multibank: ${say('cli.sync.needs_you', { id: c.id, bank: c.institutionName, state: c.state, note: c.notice ? say(c.notice.id as MessageId, c.notice.values) : c.message ?? '', provider: c.provider })}\n`);
      }
    });
  cmd(program, 'log', help('cli.help.log'))
    .option('--connection <id>', help('cli.help.sync.connection'), positiveInt('--connection'))
    .option('--limit <n>', help('cli.help.log.limit'), positiveInt('--limit'), 20)
    .option('--report <file>', help('cli.help.log.report'))
    .option('--run <id>', help('cli.help.log.run'), positiveInt('--run'))
    .action(async (o: { json?: boolean; connection?: number; limit: number; report?: string; run?: number }) => {
      const runs = await call('sync.log', { limit: Math.min(o.limit, 500), ...(o.connection ? { connectionId: o.connection } : {}) });
      if (o.report) {
        const runId = o.run ?? runs.find(reportable)?.id;
        if (runId === undefined) throw new CliError('not_found', { id: 'cli.error.nothing_to_report' });
        await saveReport(runId, o.report);
        return;
      }
      print(!!o.json, runs, () => table(runs.map((r) => ({
        ...r, when: r.startedAt.slice(0, 19).replace('T', ' '), counts: `${r.newCount}/${r.updatedCount}/${r.retiredCount}`, unreadable: r.unreadableCount ?? 0,
        trigger: say('cli.trigger', { trigger: r.trigger }), outcome: say('cli.outcome', { outcome: r.outcome }),
      })), [
        { key: 'id', title: say('cli.col.run'), right: true }, { key: 'when', title: say('cli.col.started') }, { key: 'institutionName', title: say('cli.col.bank') }, { key: 'trigger', title: say('cli.col.trigger') },
        { key: 'outcome', title: say('cli.col.outcome') }, { key: 'counts', title: say('cli.col.counts') }, { key: 'unreadable', title: say('cli.col.not_read'), right: true },
        { key: 'errorCode', title: say('cli.col.error') },
      ]) || say('cli.log.none') + '\n');
    });

  // ---- accounts
  const accounts = program.command('accounts').description(help('cli.help.accounts'));
  // `multibank accounts [--json]` lists them too
  accounts.command('list', { isDefault: true }).description(help('cli.help.accounts.list')).option('--json', help('cli.help.json')).action(async (o: { json?: boolean }) => {
    const list = await call('accounts.list');
    // the balance check (issue 19): where the bank's balances and the stored history disagree
    const gaps = await call('accounts.historyGaps', {});
    print(!!o.json, list.map((a) => ({ ...a, historyGaps: gaps.filter((g) => g.accountId === a.id) })),
      () => accountTable(list) + gaps.map((g) => say('cli.accounts.gap', { id: g.accountId, notice: g.notice }) + '\n').join(''));
  });

  // ---- transfers between own accounts (issue 19)
  const transfersCmd = program.command('transfers').description(help('cli.help.transfers'));
  // `multibank transfers [--json]` lists them
  transfersCmd.command('list', { isDefault: true }).description(help('cli.help.transfers.list')).option('--json', help('cli.help.json')).option('--account <id>', help('cli.help.transfers.list.account'), positiveInt('--account'))
    .action(async (o: { json?: boolean; account?: number }) => {
      const list = await call('transfers.list', o.account ? { accountId: o.account } : {});
      print(!!o.json, list, () => table(list.map((t) => ({
        from: `${t.from.transactionId} ${t.from.accountName}`, to: `${t.to.transactionId} ${t.to.accountName}`, date: t.from.bookingDate,
        out: money(t.from.amount, t.from.currency), in: money(t.to.amount, t.to.currency), rate: t.rate ?? '', state: say('cli.transfer_state', { state: t.state }),
      })), [
        { key: 'date', title: say('cli.col.date') }, { key: 'from', title: say('cli.col.from_leg') }, { key: 'out', title: say('cli.col.out'), right: true },
        { key: 'to', title: say('cli.col.to_leg') }, { key: 'in', title: say('cli.col.in'), right: true }, { key: 'rate', title: say('cli.col.rate') }, { key: 'state', title: say('cli.col.state') },
      ]) || say('cli.transfers.none') + '\n');
    });
  cmd(transfersCmd, 'unlink', help('cli.help.transfers.unlink')).argument('<id>', help('cli.help.transfers.unlink.id'), positiveInt('<id>'))
    .action(async (id: number, o: { json?: boolean }) => {
      await call('transfers.unlink', { transactionId: id });
      print(!!o.json, { unlinked: id }, () => say('cli.transfers.unlinked', { id }) + '\n');
    });
  cmd(transfersCmd, 'confirm', help('cli.help.transfers.confirm')).argument('<id>', help('cli.help.transfers.unlink.id'), positiveInt('<id>'))
    .action(async (id: number, o: { json?: boolean }) => {
      const t = await call('transfers.confirm', { transactionId: id });
      print(!!o.json, t, () => say('cli.transfers.confirmed', { from: t.from.accountName, to: t.to.accountName, date: { id: 'date', values: { iso: t.from.bookingDate } } }) + '\n');
    });

  // ---- net worth in one currency, the same account once (issue 19)
  cmd(accounts, 'prefer', help('cli.help.accounts.prefer'))
    .argument('<id>', help('cli.help.accounts.prefer.id'), positiveInt('<id>'))
    .action(async (id: number, o: { json?: boolean }) => {
      const list = await call('accounts.prefer', { accountId: id });
      print(!!o.json, list, () => accountTable(list));
    });
  cmd(program, 'networth', help('cli.help.networth'))
    .option('--base <currency>', help('cli.help.networth.base'), (v: string) => {
      if (!/^[A-Za-z]{3}$/.test(v)) throw new CliError('validation', { id: 'cli.error.base_currency', values: { text: v } });
      return v.toUpperCase();
    })
    .action(async (o: { json?: boolean; base?: string }) => {
      const nw = await call('networth.get', o.base ? { base: o.base } : undefined);
      const names = new Map((await call('accounts.list')).map((a) => [a.id, a]));
      print(!!o.json, nw, () => [
        table(nw.accounts.map((a) => ({
          id: a.accountId, bank: names.get(a.accountId)?.bankName ?? '', name: names.get(a.accountId)?.name ?? '',
          balance: money(a.balance, a.currency), inBase: a.inBase === null ? '-' : money(a.inBase, nw.base), rate: a.rateDate ? dateIn(language, a.rateDate) : '', note: a.notice ? say(a.notice.id as MessageId, a.notice.values) : '',
        })), [
          { key: 'id', title: 'ID', right: true }, { key: 'bank', title: say('cli.col.bank') }, { key: 'name', title: say('cli.col.name') },
          { key: 'balance', title: say('cli.col.balance'), right: true }, { key: 'inBase', title: say('cli.col.in_base', { currency: nw.base }), right: true }, { key: 'rate', title: say('cli.col.rate_of') },
          { key: 'note', title: say('cli.col.note') },
        ]) || say('cli.accounts.none') + '\n',
        say('cli.networth.total', { total: money(nw.total, nw.base), date: dateIn(language, nw.date) }) + '\n',
        ...nw.missingNotices.map((m) => say('cli.networth.left_out', { what: m }) + '\n'),
        nw.ratesNotice ? say(nw.ratesNotice.id as MessageId, nw.ratesNotice.values) + '\n' : '',
        say('cli.networth.month_ends') + '\n',
        ...nw.history.map((p) => `  ${dateIn(language, p.date)}  ${money(p.total, nw.base).padStart(20)}${p.missing.length ? `  ${say('cli.networth.no_rate', { currencies: p.missing.join(', ') })}` : ''}\n`),
      ].join(''));
    });

  // ---- transactions
  const transactions = program.command('transactions').description(help('cli.help.transactions'));
  withFilterOptions(cmd(transactions, 'list', help('cli.help.transactions.list')), help)
    .option('--search <text>', help('cli.help.transactions.list.search'))
    .option('--limit <n>', help('cli.help.transactions.list.limit'), positiveInt('--limit'), 50)
    .action(async (o: FilterFlags & { json?: boolean; limit: number }) => {
      await checkAccounts(o, () => call('accounts.list'));
      await checkCategory(o);
      const rows: Results['transactions.list']['rows'] = [];
      let cursor: string | null = null;
      do {
        const page: Results['transactions.list'] = await call('transactions.list', {
          ...filterOf(o), ...(cursor ? { cursor } : {}), limit: Math.min(500, o.limit - rows.length),
        });
        rows.push(...page.rows);
        cursor = page.nextCursor;
      } while (cursor && rows.length < o.limit);
      const plain = rows.map(({ highlight: _h, ...t }) => t);
      print(!!o.json, plain, () => table(plain.map((t) => ({ ...t, bookingDate: dateIn(language, t.bookingDate), amountText: money(t.amount, t.currency), status: t.status === 'pending' ? say('cli.pending') : '' })), [
        { key: 'id', title: 'ID', right: true }, { key: 'bookingDate', title: say('cli.col.date') }, { key: 'accountId', title: say('cli.col.acct'), right: true },
        { key: 'amountText', title: say('cli.col.amount'), right: true }, { key: 'status', title: say('cli.col.status') }, { key: 'counterpartyName', title: say('cli.col.counterparty') },
        { key: 'description', title: say('cli.col.description') }, { key: 'category', title: say('cli.col.category') },
      ]) || say('cli.transactions.none') + '\n');
    });

  // ---- export
  withFilterOptions(cmd(program, 'export', help('cli.help.export'))
    .addOption(new Option('--format <format>', 'csv | ofx | json').choices(['csv', 'ofx', 'json']).makeOptionMandatory())
    .option('--out <file>', help('cli.help.export.out')), help)
    .option('--search <text>', help('cli.help.export.search'))
    .action(async (o: FilterFlags & { json?: boolean; format: 'csv' | 'ofx' | 'json'; out?: string }) => {
      await checkAccounts(o, () => call('accounts.list'));
      await checkCategory(o);
      const r = await call('export.run', { format: o.format, ...filterOf(o) });
      if (o.out) {
        writeFileSync(o.out, r.content, { mode: 0o600 });
        print(!!o.json, { file: o.out, rows: r.rows, mime: r.mime }, () => say('cli.export.done', { rows: r.rows, file: o.out! }) + '\n');
      } else if (o.json) {
        print(true, r, () => '');
      } else {
        out.stdout.write(r.content);
      }
    });

  // ---- statement files (issue 21)
  const importLine = (r: Results['import.run']) => {
    const dryRun = r.dryRun ? 'yes' : 'no';
    const lines = [say('cli.import.summary', {
      file: r.fileName, format: r.format, newAccount: r.newAccount ? 'yes' : 'no', account: r.accountName, id: r.accountId,
      from: r.dateFrom ? dateIn(language, r.dateFrom) : '?', to: r.dateTo ? dateIn(language, r.dateTo) : '?', dryRun, added: r.added, matched: r.matched, skipped: r.skipped,
    })];
    if (r.closing) {
      const closing = { date: dateIn(language, r.closing.date), amount: money(r.closing.amount, r.currency), balance: money(r.balanceAfter, r.currency), dryRun };
      lines.push(say(r.balanceAfter === null ? 'cli.import.closing_set' : r.balanceAfter === r.closing.amount ? 'cli.import.closing_same' : 'cli.import.closing_gap', closing));
    }
    lines.push(r.dryRun ? say('cli.import.dry_run') : say('cli.import.undo_hint', { id: r.importId ?? '' }));
    return lines.join('\n') + '\n';
  };
  cmd(program, 'import', help('cli.help.import'))
    .argument('<file>', help('cli.help.import.file'))
    .option('--account <id>', help('cli.help.import.account'), positiveInt('--account'))
    .addOption(new Option('--format <format>', help('cli.help.import.format')).choices(['camt053', 'mt940', 'ofx', 'csv']))
    .option('--new-account <name>', help('cli.help.import.new_account'))
    .option('--encoding <name>', help('cli.help.import.encoding'))
    .option('--map <key=column>', help('cli.help.import.map'), collect)
    .option('--dry-run', help('cli.help.import.dry_run'))
    .action(async (file: string, o: { json?: boolean; account?: number; newAccount?: string; format?: StatementFormat; encoding?: string; map?: string[]; dryRun?: boolean }) => {
      let size: number;
      try { size = statSync(file).size; } catch { throw new CliError('not_found', { id: 'cli.error.no_file', values: { file } }); }
      if (size > MAX_STATEMENT_BYTES) throw new CliError('bad_file', { id: 'cli.error.file_too_large', values: { file, mb: Math.round(size / 1048576), max: MAX_STATEMENT_BYTES / 1048576 } }, { id: 'cli.action.shorter_period' });
      const request: RequestOf<'import.run'> = {
        fileName: basename(file), content: readFileSync(file).toString('base64'),
        ...(o.account ? { accountId: o.account } : {}), ...(o.newAccount ? { newAccount: { name: o.newAccount } } : {}), ...(o.format ? { format: o.format } : {}), ...(o.encoding ? { encoding: o.encoding } : {}),
        ...(o.map ? { csvMapping: csvMappingOf(o.map) } : {}),
      };
      const r = await call(o.dryRun ? 'import.preview' : 'import.run', request);
      print(!!o.json, r, () => importLine(r));
    });
  const imports = program.command('imports').description(help('cli.help.imports'));
  cmd(imports, 'list', help('cli.help.imports.list')).option('--account <id>', help('cli.help.transfers.list.account'), positiveInt('--account'))
    .action(async (o: { json?: boolean; account?: number }) => {
      const list = await call('import.list', o.account ? { accountId: o.account } : {});
      print(!!o.json, list, () => table(list.map((i) => ({
        ...i, undone: i.undoneAt ? say('cli.undone') : '', dateFrom: i.dateFrom && dateIn(language, i.dateFrom), dateTo: i.dateTo && dateIn(language, i.dateTo),
      })), [
        { key: 'id', title: 'ID', right: true }, { key: 'accountId', title: say('cli.col.account'), right: true }, { key: 'fileName', title: say('cli.col.file') },
        { key: 'format', title: say('cli.col.format') }, { key: 'dateFrom', title: say('cli.col.from') }, { key: 'dateTo', title: say('cli.col.to') }, { key: 'added', title: say('cli.col.added'), right: true },
        { key: 'matched', title: say('cli.col.matched'), right: true }, { key: 'skipped', title: say('cli.col.skipped'), right: true }, { key: 'undone', title: '' },
      ]) || say('cli.imports.none') + '\n');
    });
  cmd(imports, 'undo', help('cli.help.imports.undo')).argument('<id>', help('cli.help.imports.undo.id'), positiveInt('<id>'))
    .action(async (id: number, o: { json?: boolean }) => {
      const r = await call('import.undo', { importId: id });
      print(!!o.json, r, () => say('cli.import.undone', { removed: r.removed, file: r.import.fileName }) + '\n');
    });

  // ---- settings
  cmd(program, 'settings', help('cli.help.settings'))
    .option('--allow-plain-text-secrets <yes|no>', help('cli.help.settings.allow_plain_text_secrets'), (v) => {
      if (!/^(true|false|yes|no)$/.test(v)) throw new CliError('validation', { id: 'cli.error.true_false', values: { option: '--allow-plain-text-secrets' } });
      return v === 'true' || v === 'yes';
    })
    .option('--lead-days <n>', help('cli.help.settings.lead_days'), positiveInt('--lead-days'))
    .option('--sync-every <hours>', help('cli.help.settings.sync_every'), positiveInt('--sync-every'))
    .action(async (o: { json?: boolean; allowPlainTextSecrets?: boolean; leadDays?: number; syncEvery?: number }) => {
      const change = {
        ...(o.allowPlainTextSecrets !== undefined ? { allowPlainTextSecrets: o.allowPlainTextSecrets } : {}),
        ...(o.leadDays !== undefined ? { consentLeadDays: o.leadDays } : {}),
        ...(o.syncEvery !== undefined ? { syncEveryHours: o.syncEvery } : {}),
      };
      const prefs = Object.keys(change).length ? await call('prefs.set', change) : await call('prefs.get');
      print(!!o.json, prefs, () => Object.entries(prefs).map(([key, v]) =>
        say('cli.settings.line', { key, value: typeof v === 'boolean' ? say('cli.yes_no', { yes: v ? 'yes' : 'no' }) : String(v) }) + '\n').join(''));
    });

  // ---- database integrity and backups
  /** a yes from --yes, or from the person at the terminal; never assumed */
  const confirm = async (yes: boolean | undefined, question: MainMessage) => {
    if (yes) return;
    if (!cli.stdin.isTTY) throw new CliError('validation', { id: 'cli.error.confirm', values: { question } });
    const answer = (await prompt(say('cli.prompt.confirm', { question }), false)).trim().toLowerCase();
    if (![...say('cli.prompt.yes_words').split(' '), 'y', 'yes'].includes(answer)) throw new CliError('cancelled', { id: 'cli.error.nothing_changed' });
  };
  cmd(program, 'check', help('cli.help.check')).action(async (o: { json?: boolean }) => {
    const health = await call('db.check');
    print(!!o.json, health, () => (health.ok ? say('cli.check.ok') + '\n' : ''));
    if (!health.ok) throw new CliError('database_damaged', { id: 'cli.check.failed', values: { problems: health.problems.slice(0, 3).join('; ') } }, cliAction('database_damaged'));
  });
  const backup = program.command('backup').description(help('cli.help.backup'));
  cmd(backup, 'list', help('cli.help.backup.list')).action(async (o: { json?: boolean }) => {
    const list = await call('backup.list');
    print(!!o.json, list, () => table(list.map((b) => ({
      ...b, when: b.createdAt.slice(0, 19).replace('T', ' '), size: `${Math.ceil(b.bytes / 1024)} KiB`, kind: say('cli.backup_kind', { kind: b.kind.replace('-', '_') }),
    })), [
      { key: 'name', title: say('cli.col.name') }, { key: 'when', title: say('cli.col.made_utc') }, { key: 'kind', title: say('cli.col.kind') }, { key: 'size', title: say('cli.col.size'), right: true },
    ]) || say('cli.backup.none') + '\n');
  });
  cmd(backup, 'create', help('cli.help.backup.create')).action(async (o: { json?: boolean }) => {
    const b = await call('backup.create');
    print(!!o.json, b, () => say('cli.backup.done', { name: b.name }) + '\n');
  });
  cmd(backup, 'restore', help('cli.help.backup.restore'))
    .argument('<name>', help('cli.help.backup.restore.name'))
    .option('--yes', help('cli.help.backup.restore.yes'))
    .action(async (name: string, o: { json?: boolean; yes?: boolean }) => {
      await confirm(o.yes, { id: 'cli.backup.question', values: { name } });
      const r = await call('backup.restore', { name });
      print(!!o.json, r, () => say('cli.backup.restored', { name: r.restored.name, keptAside: r.keptAside }) + '\n');
    });
  // ---- categories and the rules that set them
  const categoriesCmd = program.command('categories').description(help('cli.help.categories'));
  cmd(categoriesCmd, 'list', help('cli.help.categories.list')).action(async (o: { json?: boolean }) => {
    const list = await call('categories.list');
    print(!!o.json, list, () => table(list.map((c) => ({ ...c })), [
      { key: 'name', title: say('cli.col.category') }, { key: 'transactions', title: say('cli.col.transactions'), right: true }, { key: 'rules', title: say('cli.col.rules'), right: true },
    ]) || say('cli.categories.none') + '\n');
  });
  cmd(categoriesCmd, 'add', help('cli.help.categories.add')).argument('<name>').action(async (name: string, o: { json?: boolean }) => {
    const c = await call('categories.add', { name });
    print(!!o.json, c, () => say('cli.categories.added', { name: c.name }) + '\n');
  });
  cmd(categoriesCmd, 'rename', help('cli.help.categories.rename')).argument('<name>').argument('<new-name>')
    .action(async (name: string, newName: string, o: { json?: boolean }) => {
      const c = await call('categories.rename', { id: (await categoryNamed(name)).id, name: newName });
      print(!!o.json, c, () => say('cli.categories.renamed', { name: c.name, count: c.transactions }) + '\n');
    });
  cmd(categoriesCmd, 'remove', help('cli.help.categories.remove'))
    .argument('<name>')
    .option('--move-to <name>', help('cli.help.categories.remove.move_to'))
    .option('--clear', help('cli.help.categories.remove.clear'))
    .action(async (name: string, o: { json?: boolean; moveTo?: string; clear?: boolean }) => {
      const c = await categoryNamed(name);
      if (o.moveTo && o.clear) throw new CliError('validation', { id: 'cli.error.move_or_clear' });
      if (!o.moveTo && !o.clear && (c.transactions > 0 || c.rules > 0)) {
        throw new CliError('validation', { id: 'cli.error.category_in_use', values: { name: c.name, transactions: c.transactions, rules: c.rules } });
      }
      const r = await call('categories.remove', { id: c.id, moveTo: o.moveTo ? (await categoryNamed(o.moveTo)).id : null });
      print(!!o.json, r, () => say('cli.categories.removed', { name: c.name, moved: r.moved, cleared: o.moveTo ? 'no' : 'yes', to: o.moveTo ?? '', rules: r.rulesRemoved }) + '\n');
    });
  const rulesCmd = program.command('rules').description(help('cli.help.rules'));
  cmd(rulesCmd, 'list', help('cli.help.rules.list')).action(async (o: { json?: boolean }) => {
    const list = await call('rules.list');
    print(!!o.json, list, () => table(list.map((r) => ({ ...r, when: rule(r) })), [
      { key: 'id', title: 'ID', right: true }, { key: 'when', title: say('cli.col.when') }, { key: 'category', title: say('cli.col.category') },
    ]) || say('cli.rules.none') + '\n');
  });
  cmd(rulesCmd, 'add', help('cli.help.rules.add'))
    .requiredOption('--category <name>', help('cli.help.rules.add.category'))
    .option('--text <text>', help('cli.help.rules.add.text'))
    .option('--min <amount>', help('cli.help.rules.add.min'))
    .option('--max <amount>', help('cli.help.rules.add.max'))
    .addOption(new Option('--direction <in|out>', help('cli.help.rules.add.direction')).choices(['in', 'out']))
    .option('--account <id>', help('cli.help.rules.add.account'), positiveInt('--account'))
    .action(async (o: { json?: boolean; category: string; text?: string; min?: string; max?: string; direction?: 'in' | 'out'; account?: number }) => {
      if (o.account) await checkAccounts({ account: [o.account] }, () => call('accounts.list'));
      const r = await call('rules.add', {
        categoryId: (await categoryNamed(o.category)).id, ...(o.text !== undefined ? { text: o.text } : {}), ...(o.min !== undefined ? { minAmount: o.min } : {}),
        ...(o.max !== undefined ? { maxAmount: o.max } : {}), ...(o.direction ? { direction: o.direction } : {}), ...(o.account ? { accountId: o.account } : {}),
      });
      print(!!o.json, r, () => say('cli.rules.added', { id: r.id, conditions: rule(r), category: r.category }) + '\n');
    });
  cmd(rulesCmd, 'remove', help('cli.help.rules.remove')).argument('<id>', help('cli.help.rules.remove.id'), positiveInt('The rule id'))
    .action(async (id: number, o: { json?: boolean }) => {
      await call('rules.remove', { id });
      print(!!o.json, { removed: id }, () => say('cli.rules.removed', { id }) + '\n');
    });
  cmd(rulesCmd, 'apply', help('cli.help.rules.apply'))
    .option('--dry-run', help('cli.help.rules.apply.dry_run'))
    .action(async (o: { json?: boolean; dryRun?: boolean }) => {
      const r = await call('rules.apply', { dryRun: !!o.dryRun });
      print(!!o.json, r, () => say('cli.rules.applied', { count: r.count, dryRun: o.dryRun ? 'yes' : 'no' }) + '\n');
    });

  const secrets = program.command('secrets').description(help('cli.help.secrets'));
  cmd(secrets, 'reset', help('cli.help.secrets.reset'))
    .option('--yes', help('cli.help.backup.restore.yes'))
    .action(async (o: { json?: boolean; yes?: boolean }) => {
      await confirm(o.yes, { id: 'cli.secrets.question' });
      await call('vault.reset');
      print(!!o.json, { reset: true }, () => say('cli.secrets.reset') + '\n');
    });

  // ---- the passphrase of an encrypted data dir (main/vault/dbkey.ts)
  const passphrase = program.command('passphrase').description(help('cli.help.passphrase'));
  cmd(passphrase, 'change', help('cli.help.passphrase.change'))
    .requiredOption('--new-passphrase-file <file>', help('cli.help.passphrase.change.new_passphrase_file'))
    .action(async (o: { json?: boolean; newPassphraseFile: string }) => {
      const dataDir = (program.opts().dataDir as string | undefined) ?? defaultDataDir(cli.env);
      if (!hasPassphrase(dataDir)) throw new CliError('passphrase_required', { id: 'cli.error.no_passphrase_yet', values: { dir: dataDir } }, { id: 'cli.action.no_passphrase_yet' });
      await changePassphrase(dataDir, await passphraseFor(dataDir), readPassphraseFile(o.newPassphraseFile));
      print(!!o.json, { changed: true }, () => say('cli.passphrase.changed') + '\n');
    });

  return {
    program,
    async finish() {
      if (service) { const s = service; service = null; await s.close(); }
    },
  };
}

/** Run the CLI; resolves to the exit code. Errors become ONE line on stderr. */
export async function runCli(argv: string[], cli: CliEnv): Promise<number> {
  let language: Language = 'en';
  try { language = cliLanguage(argv, cli.env); } catch (e) { return reportError(e, cli.out, language); }
  const { program, finish } = buildProgram(cli, language);
  let code = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    code = reportError(e, cli.out, language);
  } finally {
    try { await finish(); } catch { /* closing never hides the real outcome */ }
  }
  return code;
}

/** a file system error (writing --out, reading a file) in plain words */
function fileProblem(e: unknown): { code: string; msg: MainMessage; action: MainMessage } | null {
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof err.code !== 'string' || typeof err.path !== 'string') return null;
  const known = ['ENOENT', 'EEXIST', 'EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC'];
  const msg: MainMessage = known.includes(err.code)
    ? { id: 'cli.file', values: { errno: err.code, path: err.path } }
    : { id: 'cli.file_other', values: { path: err.path, detail: err.message } };
  return { code: 'file', msg, action: { id: 'cli.action.check_path' } };
}

/** commander's own usage errors, by its code, with the names it quotes in its English message */
const COMMANDER_WORDS: Record<string, MessageId> = {
  'commander.unknownOption': 'cli.commander.unknown_option',
  'commander.unknownCommand': 'cli.commander.unknown_command',
  'commander.missingArgument': 'cli.commander.missing_argument',
  'commander.optionMissingArgument': 'cli.commander.option_missing_argument',
  'commander.missingMandatoryOptionValue': 'cli.commander.missing_mandatory_option',
  'commander.excessArguments': 'cli.commander.excess_arguments',
  'commander.invalidArgument': 'cli.commander.invalid_choice',
};
function commanderWords(e: CommanderError, language: Language): string {
  const english = e.message.replace(/^error: /, '').split('\n')[0];
  const quoted = [...english.matchAll(/'[^']*'/g)].map((m) => m[0]);
  const choices = /Allowed choices are (.*)\.$/.exec(english)?.[1];
  const id = COMMANDER_WORDS[e.code];
  const said = id && (id !== 'cli.commander.invalid_choice' || choices)
    ? formatMessage(language, id, { name: quoted[0] ?? '', value: quoted[1] ?? '', choices: choices ?? '' })
    : english; // a usage error without words of its own here: commander's English
  const suggestion = /\(Did you mean (.+)\?\)/.exec(e.message)?.[1];
  return `${said}${suggestion ? ` ${formatMessage(language, 'cli.commander.did_you_mean', { suggestion })}` : ''} ${formatMessage(language, 'cli.commander.see_help')}`;
}

function reportError(e: unknown, out: Out, language: Language): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    if (e.code === 'commander.executeSubCommandAsync') return e.exitCode;
    out.stderr.write(`multibank: ${commanderWords(e, language)}\n`);
    return 2;
  }
  let code: string; let message: MainMessage | Message; let action: MainMessage | Message | null = null;
  if (e instanceof CliError) ({ code, msg: message, action } = e);
  else if (e instanceof AppError) { code = e.code; message = e.msg; action = cliAction(e.code); }
  else if (fileProblem(e)) ({ code, msg: message, action } = fileProblem(e)!);
  else if (storageError(e)) {
    const a = storageError(e)!;
    code = a.code; message = a.msg; action = cliAction(a.code);
  } else { code = 'internal'; message = { id: 'verbatim', values: { text: e instanceof Error ? e.message : String(e) } }; }
  const say = (m: MainMessage | Message) => formatMessage(language, m.id, m.values);
  const line = `multibank: ${say(message)}${action ? ` ${say(action)}` : ''} [${code}]`.replace(/[\r\n]+/g, ' ');
  out.stderr.write(line + '\n');
  // no passphrase at all is a usage error like a bad option (a wrong one is not)
  return code === 'validation' || code === 'passphrase_required' ? 2 : 1;
}
