// Enable Banking emulator: the API of the published reference (./openapi/openapi.yml) for the demo banks of the Ledger.
// Every request must carry a JWT signed (RS256) with the demo application's private key, kid = its application id,
// iss enablebanking.com, aud api.enablebanking.com, at most 24 h to live; it is verified against the public key.
// The browser step is the bank's own pages (login, consent), which send the browser to the application's registered
// HTTPS redirect URL with `code` and `state` (or `error`).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, decodeProtectedHeader } from 'jose';
import type { DemoAccount, DemoBank, DemoLogin, DemoTransaction, Ledger } from '../core/bank.js';
import { html, json, redirect, Router, type Emulator, type SandboxRequest, type SandboxResponse } from '../core/http.js';
import { consentPage, decision, errorPage, loginPage, PAGE_ERRORS, withParams } from '../core/pages.js';
import { refill } from '../core/persist.js';
import type { World } from '../core/world.js';
import { ENABLEBANKING_DEMO_APP_ID, ENABLEBANKING_DEMO_PRIVATE_KEY, ENABLEBANKING_DEMO_PUBLIC_KEY, ENABLEBANKING_DEMO_REDIRECT } from './demo-app.js';

export { ENABLEBANKING_DEMO_APP_ID, ENABLEBANKING_DEMO_PRIVATE_KEY, ENABLEBANKING_DEMO_REDIRECT } from './demo-app.js';

const DAY_S = 86_400;
/** rows per page of GET /accounts/{id}/transactions: small, so that a sync pages */
export const ENABLEBANKING_PAGE_SIZE = 40;
/** each demo bank's longest consent in days (cycled over the Ledger's banks) */
const CONSENT_DAYS = [180, 90, 365];
/** banks with a 90-day consent keep 90 days of history: an older date_from is refused unless strategy=longest */
const SHORT_HISTORY_DAYS = 90;

interface Authorization { id: string; bank: DemoBank; validUntil: number; redirectUrl: string; state: string; psuType: string; login: DemoLogin | null; code: string | null; done: boolean }
interface SessionRow { id: string; bank: DemoBank; login: DemoLogin; psuType: string; validUntil: number; created: number; status: 'AUTHORIZED' | 'CLOSED' | 'REVOKED'; accounts: Map<string, DemoAccount> }

export function createEnableBankingEmulator(world: World, ledger: Ledger): Emulator {
  const now = () => world.clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const authorizations = new Map<string, Authorization>();
  const codes = new Map<string, Authorization>();
  const sessions = new Map<string, SessionRow>();
  /** account uid -> its session (uids are new on every authorisation) */
  const uids = new Map<string, SessionRow>();

  const banks = () => ledger.banks().map((bank, i) => ({ bank, days: CONSENT_DAYS[i % CONSENT_DAYS.length] }));
  const aspspJson = ({ bank, days }: { bank: DemoBank; days: number }) => ({
    name: bank.name, country: bank.country, logo: `https://enablebanking.com/brands/${bank.country}/${encodeURIComponent(bank.name)}/`,
    psu_types: ['personal', 'business'], auth_methods: [{ name: 'redirect', approach: 'REDIRECT', hidden_method: false, psu_type: 'personal', credentials: [] }],
    maximum_consent_validity: days * DAY_S, sandbox: { users: [] }, beta: false, bic: bank.bic, required_psu_headers: [],
  });
  const err = (status: number, error: string, message: string, detail?: string) => json(status, { message, code: status, error, ...(detail ? { detail } : {}) });

  /** the JWT of the demo application, or the 401 answer */
  async function authorized(req: SandboxRequest): Promise<SandboxResponse | null> {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!m) return err(401, 'AUTHORIZATION_NOT_PROVIDED', 'Authorization header is not provided');
    try {
      const header = decodeProtectedHeader(m[1]);
      if (header.kid !== ENABLEBANKING_DEMO_APP_ID || header.alg !== 'RS256') throw new Error(`unknown application ${String(header.kid)}`);
      const { payload } = await jwtVerify(m[1], ENABLEBANKING_DEMO_PUBLIC_KEY, {
        issuer: 'enablebanking.com', audience: 'api.enablebanking.com', algorithms: ['RS256'], currentDate: world.clock.now(), requiredClaims: ['iat', 'exp'],
      });
      if (payload.exp! - payload.iat! > DAY_S) throw new Error('the token lives longer than 24 hours');
      return null;
    } catch (e) {
      const why = e instanceof joseErrors.JOSEError ? e.code : (e as Error).message;
      return err(401, 'UNAUTHORIZED_ACCESS', 'Unauthorized access', `JWT refused: ${why}`);
    }
  }
  type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;
  const signed = (h: Handler): Handler => async (req) => (await authorized(req)) ?? h(req);

  /** the session's status at the world's now: an authorised session ends at its valid_until */
  const statusOf = (s: SessionRow) => (s.status === 'AUTHORIZED' && s.validUntil <= now() ? 'EXPIRED' : s.status);
  /** the account behind a uid of a session that may be read, or the error answer */
  function accountOf(uid: string): { s: SessionRow; a: DemoAccount } | SandboxResponse {
    const s = uids.get(uid);
    if (!s) return err(404, 'ACCOUNT_DOES_NOT_EXIST', 'No account found matching provided id');
    const status = statusOf(s);
    if (status === 'EXPIRED') return err(401, 'EXPIRED_SESSION', 'Session is expired');
    if (status === 'CLOSED') return err(401, 'CLOSED_SESSION', 'Session is closed');
    if (status === 'REVOKED') return err(401, 'REVOKED_SESSION', 'Session is revoked');
    return { s, a: s.accounts.get(uid)! };
  }
  const isAnswer = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'status' in x && !('s' in x);

  /** stable across sessions for the same account (the reference's identification_hash) */
  const hashOf = (a: DemoAccount) => createHash('sha256').update(`iban:${a.iban}`).digest('base64');
  const cashType = (a: DemoAccount) => (a.type === 'savings' ? 'SVGS' : a.type === 'card' ? 'CARD' : 'CACC');
  const accountJson = (uid: string, a: DemoAccount) => ({
    account_id: { iban: a.iban }, all_account_ids: [{ identification: a.iban, scheme_name: 'IBAN' }],
    account_servicer: { bic_fi: a.bic ?? null }, name: a.name, details: null, usage: 'PRIV', cash_account_type: cashType(a),
    product: a.type === 'card' ? 'Credit card' : a.type === 'savings' ? 'Savings account' : 'Current account', currency: a.currency,
    psu_status: 'Account Holder', credit_limit: null, uid, identification_hash: hashOf(a), identification_hashes: [hashOf(a)],
  });
  const decimal = (minor: number, currency: string) => {
    const exp = currency === 'JPY' ? 0 : 2;
    const sign = minor < 0 ? '-' : '';
    const abs = String(Math.abs(minor)).padStart(exp + 1, '0');
    return exp ? `${sign}${abs.slice(0, -exp)}.${abs.slice(-exp)}` : `${sign}${abs}`;
  };
  const txJson = (a: DemoAccount, t: DemoTransaction) => {
    const out = t.amountMinor < 0;
    const other = { name: t.counterpartyName };
    const otherAccount = t.counterpartyIban ? { iban: t.counterpartyIban } : null;
    const me = { name: a.ownerName ?? null };
    return {
      // booked rows carry the bank's archive id; pending rows have none yet (as many banks do)
      entry_reference: t.status === 'booked' ? t.id : null,
      merchant_category_code: t.mcc ?? null,
      transaction_amount: { currency: t.currency, amount: t.amount.replace(/^-/, '') },
      creditor: out ? other : me, creditor_account: out ? otherAccount : { iban: a.iban },
      debtor: out ? me : other, debtor_account: out ? { iban: a.iban } : otherAccount,
      credit_debit_indicator: out ? 'DBIT' : 'CRDT',
      status: t.status === 'booked' ? 'BOOK' : 'PDNG',
      booking_date: t.status === 'booked' ? t.bookingDate : null,
      value_date: t.valueDate,
      transaction_date: t.transactionDate ?? t.bookingDate,
      reference_number: t.reference ?? null,
      remittance_information: [t.description],
      transaction_id: t.id,
    };
  };

  const r = new Router();
  /** the reference types these fields as plain strings and objects: a value the bank does not have is left out, never null */
  const compact = (v: any): any => (Array.isArray(v) ? v.map(compact) : v && typeof v === 'object'
    ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, compact(x)])) : v);
  const body = (status: number, v: unknown) => json(status, compact(v));

  r.get('/application', signed(() => body(200, {
    name: 'Multibank demo', description: 'Sandbox application of the Multibank demo', kid: ENABLEBANKING_DEMO_APP_ID, environment: 'SANDBOX',
    redirect_urls: [ENABLEBANKING_DEMO_REDIRECT], active: true, countries: [...new Set(ledger.banks().map((b) => b.country))], services: ['AIS'],
  })));

  r.get('/aspsps', signed((req) => {
    const country = req.query.get('country');
    if (country !== null && !/^[A-Z]{2}$/.test(country)) return err(422, 'WRONG_REQUEST_PARAMETERS', 'Wrong request parameters provided', 'country must be two capital letters');
    return body(200, { aspsps: banks().filter((b) => !country || b.bank.country === country).map(aspspJson) });
  }));

  r.post('/auth', signed((req) => {
    const b = req.body ?? {};
    const bank = banks().find((x) => x.bank.name === b.aspsp?.name && x.bank.country === b.aspsp?.country);
    if (!bank) return err(404, 'WRONG_ASPSP_PROVIDED', 'Wrong ASPSP name provided');
    if (typeof b.state !== 'string' || typeof b.redirect_url !== 'string' || !b.redirect_url) return err(422, 'WRONG_REQUEST_PARAMETERS', 'Wrong request parameters provided', 'state and redirect_url are required');
    if (b.redirect_url !== ENABLEBANKING_DEMO_REDIRECT) return err(400, 'REDIRECT_URI_NOT_ALLOWED', 'Redirect URI not allowed');
    const validUntil = Date.parse(String(b.access?.valid_until ?? ''));
    if (Number.isNaN(validUntil) || !/(Z|[+-]\d{2}:\d{2})$/.test(String(b.access.valid_until))) return err(422, 'WRONG_REQUEST_PARAMETERS', 'Wrong request parameters provided', 'access.valid_until must be an RFC 3339 date-time with a timezone');
    // longer than the bank allows is refused [reference, Access.valid_until]
    if (validUntil > now() + bank.days * DAY_S * 1000) return err(422, 'WRONG_REQUEST_PARAMETERS', 'Wrong request parameters provided', `valid_until exceeds the maximum consent validity of ${bank.days * DAY_S} seconds`);
    const a: Authorization = { id: randomUUID(), bank: bank.bank, validUntil, redirectUrl: b.redirect_url, state: b.state, psuType: b.psu_type ?? 'personal', login: null, code: null, done: false };
    authorizations.set(a.id, a);
    return json(200, { url: `${req.baseUrl}/bank/${a.id}`, authorization_id: a.id, psu_id_hash: createHash('sha256').update(a.id).digest('hex') });
  }));

  // ---------- the bank's pages ----------
  const gone = () => ({ status: 410, headers: { 'content-type': 'text/html; charset=utf-8' }, body: errorPage({ bankName: 'Enable Banking', message: 'This sign-in page has expired. Start again from the app.' }) });
  function bankPage(a: Authorization, error?: string, username?: string): string {
    const common = { bankName: a.bank.name, action: `/bank/${a.id}`, via: 'via Enable Banking', error };
    if (!a.login) {
      const demoLogins = ledger.logins().filter((l) => l.bankId === a.bank.id).slice(0, 3).map((l) => ({ username: l.username, password: l.password }));
      return loginPage({ ...common, username, demoLogins });
    }
    const accounts = ledger.accounts({ bankId: a.bank.id, username: a.login.username }).map((x) => ({ id: x.id, name: x.name, iban: x.iban, currency: x.currency }));
    return consentPage({ ...common, appName: 'Multibank', accounts, validUntil: iso(a.validUntil) });
  }
  const back = (a: Authorization, params: Record<string, string>) => {
    a.done = true;
    return redirect(withParams(a.redirectUrl, { ...params, state: a.state }));
  };
  r.get('/bank/:id', (req) => {
    const a = authorizations.get(req.params.id);
    return !a || a.done ? gone() : html(bankPage(a));
  });
  r.post('/bank/:id', (req) => {
    const a = authorizations.get(req.params.id);
    if (!a || a.done) return gone();
    const b = req.body ?? {};
    const d = decision(req);
    if (d === 'cancel') return back(a, { error: 'access_denied', error_description: PAGE_ERRORS.cancelled });
    if (d === 'deny') return back(a, { error: 'access_denied', error_description: PAGE_ERRORS.denied });
    if (!a.login) {
      const login = typeof b.username === 'string' ? ledger.findLogin(a.bank.id, b.username.trim()) : undefined;
      if (!login || login.password !== b.password) return html(bankPage(a, PAGE_ERRORS.wrongPassword, String(b.username ?? '')));
      a.login = login;
      return html(bankPage(a));
    }
    a.code = randomBytes(18).toString('base64url');
    codes.set(a.code, a);
    return back(a, { code: a.code });
  });

  // ---------- sessions ----------
  const sessionJson = (s: SessionRow) => ({
    status: statusOf(s), accounts: [...s.accounts.keys()],
    accounts_data: [...s.accounts].map(([uid, a]) => ({ uid, identification_hash: hashOf(a), identification_hashes: [hashOf(a)] })),
    aspsp: { name: s.bank.name, country: s.bank.country }, psu_type: s.psuType,
    psu_id_hash: createHash('sha256').update(s.login.username).digest('hex'),
    access: { valid_until: iso(s.validUntil) }, created: iso(s.created), authorized: iso(s.created), closed: null,
  });

  r.post('/sessions', signed((req) => {
    const code = req.body?.code;
    const a = typeof code === 'string' ? codes.get(code) : undefined;
    if (!a) return err(422, 'WRONG_AUTHORIZATION_CODE', 'Wrong authorization code provided');
    codes.delete(code);
    const s: SessionRow = { id: randomUUID(), bank: a.bank, login: a.login!, psuType: a.psuType, validUntil: a.validUntil, created: now(), status: 'AUTHORIZED', accounts: new Map() };
    for (const acc of ledger.accounts({ bankId: a.bank.id, username: a.login!.username })) {
      const uid = randomUUID();
      s.accounts.set(uid, acc);
      uids.set(uid, s);
    }
    sessions.set(s.id, s);
    return body(200, {
      session_id: s.id, accounts: [...s.accounts].map(([uid, acc]) => accountJson(uid, acc)),
      aspsp: { name: s.bank.name, country: s.bank.country }, psu_type: s.psuType, access: { valid_until: iso(s.validUntil) },
    });
  }));

  r.get('/sessions/:id', signed((req) => {
    const s = sessions.get(req.params.id);
    return s ? body(200, sessionJson(s)) : err(404, 'SESSION_DOES_NOT_EXIST', 'No session found matching provided id');
  }));

  r.delete('/sessions/:id', signed((req) => {
    const s = sessions.get(req.params.id);
    if (!s) return err(404, 'SESSION_DOES_NOT_EXIST', 'No session found matching provided id');
    s.status = 'CLOSED';
    return json(200, { message: 'OK' });
  }));

  // ---------- account data ----------
  r.get('/accounts/:uid/details', signed((req) => {
    const found = accountOf(req.params.uid);
    return isAnswer(found) ? found : body(200, accountJson(req.params.uid, found.a));
  }));

  r.get('/accounts/:uid/balances', signed((req) => {
    const found = accountOf(req.params.uid);
    if (isAnswer(found)) return found;
    const { a } = found;
    const today = world.clock.today();
    return body(200, {
      balances: [
        { name: 'Booked balance', balance_amount: { currency: a.currency, amount: decimal(ledger.balance(a.id), a.currency) }, balance_type: 'CLBD', reference_date: today },
        { name: 'Available balance', balance_amount: { currency: a.currency, amount: decimal(ledger.availableBalance(a.id), a.currency) }, balance_type: 'ITAV', last_change_date_time: iso(now()) },
      ],
    });
  }));

  r.get('/accounts/:uid/transactions', signed((req) => {
    const found = accountOf(req.params.uid);
    if (isAnswer(found)) return found;
    const q = req.query;
    const from = q.get('date_from');
    const to = q.get('date_to');
    if (to && !from) return err(422, 'DATE_TO_WITHOUT_DATE_FROM', 'date_from must be provided if date_to provided');
    if (from && from > world.clock.today()) return err(422, 'DATE_FROM_IN_FUTURE', 'date_from can not be in the future');
    if (from && to && from > to) return err(422, 'WRONG_DATE_INTERVAL', 'date_from should be less than or equal date_to');
    if (q.get('strategy') !== null && q.get('strategy') !== 'default' && q.get('strategy') !== 'longest') return err(422, 'WRONG_REQUEST_PARAMETERS', 'Wrong request parameters provided', 'strategy must be default or longest');
    const longest = q.get('strategy') === 'longest';
    const earliest = banks().find((b) => b.bank.id === found.s.bank.id)!.days === SHORT_HISTORY_DAYS
      ? new Date(now() - SHORT_HISTORY_DAYS * DAY_S * 1000).toISOString().slice(0, 10) : null;
    if (earliest && from && from < earliest && !longest) return err(422, 'WRONG_TRANSACTIONS_PERIOD', 'Wrong transactions period requested', `this bank keeps transactions from ${earliest}`);
    const status = q.get('transaction_status');
    // a pending row is dated by its payment day, which its listing range includes
    // strategy=longest: from the later of date_from and the bank's earliest day, and date_to is ignored
    const rows = ledger.transactions(found.a.id, longest ? { from: [from, earliest].filter((x): x is string => !!x).sort().at(-1) } : { from: from ?? undefined, to: to ?? undefined })
      .filter((t) => !status || (status === 'BOOK') === (t.status === 'booked'));
    let offset = 0;
    const key = q.get('continuation_key');
    if (key) {
      const m = /^(\d+):(.+)$/.exec(Buffer.from(key, 'base64url').toString('utf8'));
      if (!m || m[2] !== found.s.id) return err(422, 'WRONG_CONTINUATION_KEY', 'Wrong continuation key provided');
      offset = Number(m[1]);
    }
    const page = rows.slice(offset, offset + ENABLEBANKING_PAGE_SIZE);
    const next = offset + page.length < rows.length ? Buffer.from(`${offset + page.length}:${found.s.id}`).toString('base64url') : null;
    return body(200, { transactions: page.map((t) => txJson(found.a, t)), continuation_key: next });
  }));

  // ---------- control hooks (POST /providers/enablebanking/<action>) ----------
  /** the session named by `session`, or without one every authorised session */
  const sessionsFor = (b: any): SessionRow[] => {
    if (b?.session === undefined) return [...sessions.values()].filter((s) => s.status === 'AUTHORIZED');
    const s = sessions.get(String(b.session));
    if (!s) throw new RangeError(`No Enable Banking session ${String(b.session)}`);
    return [s];
  };
  const control: Record<string, (b: any) => unknown> = {
    /** the consent ends now (valid_until is the world's now) */
    expire: (b) => sessionsFor(b).map((s) => { s.validUntil = now(); return sessionJson(s); }),
    /** the user withdrew the consent at the bank */
    revoke: (b) => sessionsFor(b).map((s) => { s.status = 'REVOKED'; return sessionJson(s); }),
    sessions: () => [...sessions.values()].map((s) => ({ id: s.id, ...sessionJson(s) })),
  };

  return {
    name: 'enablebanking',
    router: r,
    notFound: (req) => err(404, 'WRONG_REQUEST_PARAMETERS', `No route ${req.method} ${req.path}`),
    control,
    // sessions (with their account uids) and links under way survive a restart of the demo banks (sandbox/core/persist.ts)
    state: {
      save: () => ({ authorizations, codes, sessions, uids }),
      load(saved) {
        const v = saved as { authorizations?: Map<string, Authorization>; codes?: Map<string, Authorization>; sessions?: Map<string, SessionRow>; uids?: Map<string, SessionRow> };
        refill(authorizations, v.authorizations); refill(codes, v.codes); refill(sessions, v.sessions); refill(uids, v.uids);
      },
    },
    describe: () => ({
      // the demo configures it like the others: client id = application id, client secret = its private key
      clientId: ENABLEBANKING_DEMO_APP_ID,
      clientSecret: ENABLEBANKING_DEMO_PRIVATE_KEY,
      options: { redirectUrl: ENABLEBANKING_DEMO_REDIRECT },
      banks: banks().map(({ bank, days }) => ({ name: bank.name, country: bank.country, maximumConsentDays: days })),
      logins: ledger.logins().map((l) => ({ bank: ledger.banks().find((x) => x.id === l.bankId)?.name, username: l.username, password: l.password })),
    }),
  };
}
