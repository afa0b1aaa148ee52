// `npm run sandbox` — start the sandbox world and print what an integrator needs to point the app at it.
//   --json            one line {"<provider>": {"baseUrl", "clientId", "clientSecret", "options", "logins", ...}, "control": "..."}
//   --seed N          world seed (default 42)
//   --port-base N     control on N, providers on N+1, N+2 ... (default: random free ports)
//   --providers a,b   only these emulators
//   --now ISO         set the world clock first
//   --bulk N          add "Demo Bulk Bank" (login bulk / bulk1234) with N transactions over 20 accounts
//   --bulk-accounts N, --bulk-logins N   shape of that bank (logins bulk1..bulkN when N > 1)
//   --state FILE      keep the world in FILE: started again with it, the sandbox is the same world (users, tokens,
//                     consents, clock, ledger changes), on the same ports when they are free
//   --exit-with-stdin exit when stdin closes (the demo-mode launcher uses this so the sandbox dies with the app)
// Runs until SIGINT/SIGTERM.
import { startSandbox, type ProviderDescription } from './start.js';

function parseArgs(argv: string[]) {
  const o: { json: boolean; seed?: number; portBase?: number; providers?: string[]; now?: string; bulk?: number; bulkAccounts?: number; bulkLogins?: number; state?: string; exitWithStdin: boolean; help: boolean } = { json: false, exitWithStdin: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => { const v = inline ?? argv[++i]; if (v === undefined) throw new Error(`${flag} needs a value`); return v; };
    const int = () => { const v = Number(val()); if (!Number.isInteger(v) || v < 0) throw new Error(`${flag} needs a non-negative integer`); return v; };
    switch (flag) {
      case '--json': o.json = true; break;
      case '--seed': o.seed = int(); break;
      case '--port-base': o.portBase = int(); break;
      case '--providers': o.providers = val().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--now': o.now = val(); break;
      case '--bulk': o.bulk = int(); break;
      case '--bulk-accounts': o.bulkAccounts = int(); break;
      case '--bulk-logins': o.bulkLogins = int(); break;
      case '--state': o.state = val(); break;
      case '--exit-with-stdin': o.exitWithStdin = true; break;
      case '-h': case '--help': o.help = true; break;
      default: throw new Error(`Unknown option ${a}`);
    }
  }
  return o;
}

async function main() {
  let args;
  try { args = parseArgs(process.argv.slice(2)); } catch (e) { process.stderr.write(`${(e as Error).message}\n`); process.exit(2); }
  if (args.help) {
    process.stdout.write('Usage: npm run sandbox -- [--json] [--seed N] [--port-base N] [--providers a,b] [--now ISO] [--bulk N [--bulk-accounts N] [--bulk-logins N]] [--state FILE]\n');
    return;
  }
  const sb = await startSandbox({
    seed: args.seed, portBase: args.portBase, providers: args.providers, now: args.now,
    stateFile: args.state, onStateProblem: (m) => process.stderr.write(`${m}\n`),
    ledger: args.bulk ? { bulk: { transactions: args.bulk, accounts: args.bulkAccounts, logins: args.bulkLogins } } : undefined,
  });
  let closing = false;
  const shutdown = async (code = 0) => {
    if (closing) return;
    closing = true;
    const t = setTimeout(() => process.exit(code), 2000);
    t.unref();
    await sb.close().catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  if (args.exitWithStdin) {
    process.stdin.on('end', () => void shutdown(0));
    process.stdin.on('close', () => void shutdown(0));
    process.stdin.on('error', () => void shutdown(0));
    process.stdin.resume();
  }
  const desc = sb.describe();
  if (args.json) {
    process.stdout.write(JSON.stringify(desc) + '\n');
    return;
  }
  const lines: string[] = [];
  lines.push(`Multibank sandbox (seed ${sb.world.seed}, world time ${sb.world.clock.now().toISOString()})`, '');
  const names = Object.keys(sb.urls);
  if (!names.length) lines.push('No aggregator emulators are registered yet (sandbox/emulators.ts).', '');
  for (const n of names) {
    const d = desc[n] as ProviderDescription;
    lines.push(`== ${n}`);
    lines.push(`   base URL       ${d.baseUrl}`);
    if (d.clientId !== undefined) lines.push(`   client id      ${d.clientId}`);
    if (d.clientSecret !== undefined) lines.push(`   client secret  ${d.clientSecret}`);
    for (const [k, v] of Object.entries(d.options ?? {})) lines.push(`   option ${k.padEnd(8)}${String(v)}`);
    for (const [k, v] of Object.entries(d)) {
      if (['baseUrl', 'clientId', 'clientSecret', 'options', 'logins', 'connectors'].includes(k)) continue;
      lines.push(`   ${k.padEnd(15)}${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    const logins = (d.logins ?? []) as Array<{ bank?: string; username?: string; password?: string }>;
    if (logins.length) {
      lines.push('   bank logins:');
      for (const l of logins) lines.push(`     ${String(l.bank ?? '').padEnd(40)} ${String(l.username ?? '').padEnd(10)} ${l.password ?? ''}`);
    }
    lines.push('');
  }
  lines.push('== demo banks (every aggregator serves these)');
  for (const l of sb.ledger.logins()) {
    const bank = sb.ledger.bank(l.bankId);
    lines.push(`   ${String(bank?.name ?? l.bankId).padEnd(26)} ${bank?.country ?? '  '}  ${l.username.padEnd(8)} / ${l.password.padEnd(10)} ${l.ownerName}`);
  }
  lines.push('   one-time code for every SCA step: 123456', '');
  lines.push(`== control API   ${sb.control}   (GET /health, POST /clock, POST /faults, GET /served, POST /ledger/<account>/..., POST /providers/<name>/<action>)`);
  lines.push('', 'Press Ctrl+C to stop.');
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`sandbox failed to start: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
