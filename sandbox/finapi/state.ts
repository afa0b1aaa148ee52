// The finAPI emulator's world: client, users, tokens, bank connections, web forms and tasks.
// Time is the sandbox world's clock; updates run IN_PROGRESS -> READY over world time.
import { randomBytes, randomUUID } from 'node:crypto';
import type { DemoAccount, DemoLogin, Ledger } from '../core/bank.js';
import type { World } from '../core/world.js';
import type { UpdateResultJson } from './shapes.js';

export const DEMO_CLIENT = { clientId: 'finapi-demo-client', clientSecret: 'finapi-demo-secret' };
/** The one-time code the demo web form asks for at the SCA step (shown on the page). */
export { DEMO_SCA_CODE } from '../core/pages.js';
/** PSD2: unattended accesses per consent and day before the bank refuses (finapi.md §6). */
export const UNATTENDED_PER_DAY = 4;
const CONSENT_DAYS = 90;

export interface TokenRec { kind: 'client' | 'user'; userId?: string; expiresAt: number }
export interface UserRec { id: string; password: string; email: string | null; phone: string | null; isAutoUpdateEnabled: boolean }

export interface ConnectionRec {
  id: number;
  userId: string;
  bankId: string;
  login: DemoLogin;
  name: string | null;
  /** ledger account ids of this connection */
  accountIds: string[];
  updateStatus: 'IN_PROGRESS' | 'READY';
  /** world ms when the running update finishes */
  updateDoneAt: number;
  /** what the running update is (null: none running) */
  running: null | { manual: boolean; outcome: 'OK' | 'BANK_SERVER_REJECTION' | 'INTERNAL_SERVER_ERROR'; budget?: boolean };
  consentStatus: 'PRESENT' | 'NOT_PRESENT';
  consentExpiresAt: number | null;
  userActionRequired: boolean;
  lastAutoUpdate: UpdateResultJson | null;
  lastManualUpdate: UpdateResultJson | null;
  /** world ms of the first completed download; accounts appear once it happened */
  firstDataAt: number | null;
  /** unattended updates per world day: `YYYY-MM-DD` -> count */
  unattended: Map<string, number>;
}

export type WebFormStatus = 'NOT_YET_OPENED' | 'IN_PROGRESS' | 'COMPLETED' | 'COMPLETED_WITH_ERROR' | 'EXPIRED' | 'ABORTED';
export interface WebFormRec {
  id: string;
  userId: string;
  type: 'BANK_CONNECTION_IMPORT' | 'BANK_CONNECTION_UPDATE';
  status: WebFormStatus;
  createdAt: number;
  expiresAt: number;
  bankConnectionId: number | null;
  errorCode: string | null;
  /** the chosen bank (ledger id); null until the user picks one */
  bankId: string | null;
  bankConnectionName: string | null;
  accountTypes: string[] | null;
  /** set by the first page view from the URL's query (finAPI keeps them for the final redirect) */
  redirectUrl: string | null;
  errorRedirectUrl: string | null;
  login: DemoLogin | null;
  wrongPasswords: number;
  scaDone: boolean;
  /** the task that needed this form, if any */
  taskId: string | null;
}

export type TaskStatus = 'NOT_YET_STARTED' | 'IN_PROGRESS' | 'WEB_FORM_REQUIRED' | 'COMPLETED' | 'COMPLETED_WITH_ERROR';
export interface TaskRec {
  id: string;
  userId: string;
  bankConnectionId: number;
  status: TaskStatus;
  createdAt: number;
  errorCode: string | null;
  webFormId: string | null;
  /** PSU metadata present (headers or body userMetadata) = the user started it */
  userPresent: boolean;
  psu: Record<string, string> | null;
}

export type ForcedUpdate = 'web_form_required' | 'bank_server_rejection' | 'internal_error';

export class FinapiState {
  readonly users = new Map<string, UserRec>();
  readonly tokens = new Map<string, TokenRec>();
  readonly refreshTokens = new Map<string, { userId: string }>();
  readonly connections = new Map<number, ConnectionRec>();
  readonly webForms = new Map<string, WebFormRec>();
  readonly tasks = new Map<string, TaskRec>();
  /** ledger bank id <-> finAPI bank id (int) */
  readonly bankIds = new Map<string, number>();
  readonly bankById = new Map<number, string>();
  /** ledger account / transaction ids -> finAPI int ids (stable for the emulator's life) */
  private intIds = new Map<string, number>();
  private intRev = new Map<number, string>();
  private nextInt = 1_000_000;
  private nextConnId = 1;

  // knobs the control API turns
  userTokenLifetimeSec = 3600;
  clientTokenLifetimeSec = 3600;
  updateDurationMs = 800;
  webFormLifetimeMs = 20 * 60_000;
  forcedUpdates: ForcedUpdate[] = [];
  forcedWebFormErrors: string[] = [];

  constructor(readonly world: World, readonly ledger: Ledger) {
    ledger.banks().forEach((b, i) => { this.bankIds.set(b.id, 280_001 + i); this.bankById.set(280_001 + i, b.id); });
  }

  /** everything but the world and the ledger (sandbox/core/persist.ts) */
  save(): Record<string, unknown> {
    const { world: _world, ledger: _ledger, ...rest } = this as unknown as Record<string, unknown>;
    return rest;
  }
  load(saved: Record<string, unknown>): void { Object.assign(this, saved); }

  now(): number { return this.world.clock.now().getTime(); }
  today(): string { return this.world.clock.today(); }

  intId(key: string): number {
    let n = this.intIds.get(key);
    if (n === undefined) { n = this.nextInt++; this.intIds.set(key, n); this.intRev.set(n, key); }
    return n;
  }
  keyOf(n: number): string | undefined { return this.intRev.get(n); }
  accountIntId(a: DemoAccount): number { return this.intId(`acc:${a.id}`); }
  ledgerAccountId(n: number): string | undefined { const k = this.keyOf(n); return k?.startsWith('acc:') ? k.slice(4) : undefined; }

  // ---- tokens
  issueToken(kind: 'client' | 'user', userId?: string): { access_token: string; token_type: 'bearer'; expires_in: number; scope: 'all'; refresh_token?: string } {
    const lifetime = kind === 'client' ? this.clientTokenLifetimeSec : this.userTokenLifetimeSec;
    const access = randomBytes(24).toString('base64url');
    this.tokens.set(access, { kind, userId, expiresAt: this.now() + lifetime * 1000 });
    if (kind === 'client') return { access_token: access, token_type: 'bearer', expires_in: lifetime, scope: 'all' };
    const refresh = randomBytes(24).toString('base64url');
    this.refreshTokens.set(refresh, { userId: userId! });
    return { access_token: access, token_type: 'bearer', expires_in: lifetime, scope: 'all', refresh_token: refresh };
  }
  token(value: string | undefined): TokenRec | undefined {
    const t = value ? this.tokens.get(value) : undefined;
    if (!t || t.expiresAt <= this.now()) return undefined;
    if (t.kind === 'user' && !this.users.has(t.userId!)) return undefined;
    return t;
  }
  expireAllTokens(): number {
    let n = 0;
    for (const t of this.tokens.values()) { t.expiresAt = this.now() - 1; n++; }
    return n;
  }

  // ---- users
  createUser(input: { id?: string; password?: string; email?: string | null; phone?: string | null; isAutoUpdateEnabled?: boolean }): UserRec {
    const u: UserRec = {
      id: input.id ?? randomUUID(),
      password: input.password ?? randomBytes(12).toString('base64url'),
      email: input.email ?? null,
      phone: input.phone ?? null,
      isAutoUpdateEnabled: input.isAutoUpdateEnabled ?? false,
    };
    this.users.set(u.id, u);
    return u;
  }
  deleteUser(id: string): void {
    this.users.delete(id);
    for (const [k, t] of this.tokens) if (t.userId === id) this.tokens.delete(k);
    for (const [k, r] of this.refreshTokens) if (r.userId === id) this.refreshTokens.delete(k);
    for (const [k, c] of this.connections) if (c.userId === id) this.connections.delete(k);
    for (const [k, w] of this.webForms) if (w.userId === id) this.webForms.delete(k);
    for (const [k, t] of this.tasks) if (t.userId === id) this.tasks.delete(k);
  }

  // ---- connections
  /** Finish a running update once its world time has come. Called before every read. */
  tick(c: ConnectionRec): ConnectionRec {
    if (c.updateStatus === 'IN_PROGRESS' && c.running && this.now() >= c.updateDoneAt) {
      const { manual, outcome, budget } = c.running;
      const result: UpdateResultJson = {
        result: outcome,
        errorMessage: outcome === 'OK' ? null : budget ? `Access exceeded: the bank allows ${UNATTENDED_PER_DAY} unattended accesses a day.`
          : outcome === 'BANK_SERVER_REJECTION' ? 'The bank refused the access.' : 'Internal error while talking to the bank.',
        errorType: outcome === 'OK' ? null : outcome === 'BANK_SERVER_REJECTION' && !budget ? 'BUSINESS' : 'TECHNICAL',
        timestamp: new Date(c.updateDoneAt).toISOString().replace('Z', '+00:00'),
      };
      if (manual) c.lastManualUpdate = result; else c.lastAutoUpdate = result;
      if (outcome === 'OK' && c.firstDataAt === null) c.firstDataAt = c.updateDoneAt;
      if (outcome === 'BANK_SERVER_REJECTION' && !budget) c.userActionRequired = true;
      c.updateStatus = 'READY';
      c.running = null;
    }
    return c;
  }
  startUpdate(c: ConnectionRec, manual: boolean, outcome: NonNullable<ConnectionRec['running']>['outcome'] = 'OK', budget = false): void {
    c.updateStatus = 'IN_PROGRESS';
    c.running = { manual, outcome, budget };
    c.updateDoneAt = this.now() + this.updateDurationMs;
  }
  createConnection(userId: string, bankId: string, login: DemoLogin, accountIds: string[], name: string | null): ConnectionRec {
    const c: ConnectionRec = {
      id: this.nextConnId++, userId, bankId, login, name, accountIds,
      updateStatus: 'READY', updateDoneAt: 0, running: null,
      consentStatus: 'PRESENT', consentExpiresAt: this.now() + CONSENT_DAYS * 86_400_000,
      userActionRequired: false, lastAutoUpdate: null, lastManualUpdate: null, firstDataAt: null, unattended: new Map(),
    };
    this.connections.set(c.id, c);
    this.startUpdate(c, true);
    return c;
  }
  /** A successful SCA renews the consent and clears userActionRequired [SPEC]. */
  renewConsent(c: ConnectionRec): void {
    c.consentStatus = 'PRESENT';
    c.consentExpiresAt = this.now() + CONSENT_DAYS * 86_400_000;
    c.userActionRequired = false;
  }
  consentUsable(c: ConnectionRec): boolean {
    return c.consentStatus === 'PRESENT' && !c.userActionRequired && (c.consentExpiresAt === null || c.consentExpiresAt > this.now());
  }
  userConnection(userId: string, id: number): ConnectionRec | undefined {
    const c = this.connections.get(id);
    return c && c.userId === userId ? this.tick(c) : undefined;
  }

  // ---- web forms
  createWebForm(userId: string, type: WebFormRec['type'], fields: Partial<WebFormRec>): WebFormRec {
    const now = this.now();
    const wf: WebFormRec = {
      id: randomUUID(), userId, type, status: 'NOT_YET_OPENED', createdAt: now, expiresAt: now + this.webFormLifetimeMs,
      bankConnectionId: null, errorCode: null, bankId: null, bankConnectionName: null, accountTypes: null,
      redirectUrl: null, errorRedirectUrl: null, login: null, wrongPasswords: 0, scaDone: false, taskId: null, ...fields,
    };
    this.webForms.set(wf.id, wf);
    return wf;
  }
  /** Expire a form whose time is up and that is not final yet. */
  tickWebForm(wf: WebFormRec): WebFormRec {
    if ((wf.status === 'NOT_YET_OPENED' || wf.status === 'IN_PROGRESS') && this.now() >= wf.expiresAt) wf.status = 'EXPIRED';
    return wf;
  }
  finishWebForm(wf: WebFormRec, status: 'COMPLETED' | 'COMPLETED_WITH_ERROR' | 'ABORTED', errorCode: string | null = null): void {
    wf.status = status;
    wf.errorCode = errorCode;
  }

  // ---- tasks
  createTask(userId: string, c: ConnectionRec, psu: Record<string, string> | null): TaskRec {
    const t: TaskRec = {
      id: randomUUID(), userId, bankConnectionId: c.id, status: 'NOT_YET_STARTED', createdAt: this.now(),
      errorCode: null, webFormId: null, userPresent: psu !== null, psu,
    };
    this.tasks.set(t.id, t);
    return t;
  }
  /** Move a task along: decide on its first look, then follow its connection's update or its web form. */
  tickTask(t: TaskRec): TaskRec {
    const c = this.connections.get(t.bankConnectionId);
    if (!c) { if (t.status !== 'COMPLETED' && t.status !== 'COMPLETED_WITH_ERROR') { t.status = 'COMPLETED_WITH_ERROR'; t.errorCode = 'INTERNAL_ERROR'; } return t; }
    this.tick(c);
    if (t.status === 'NOT_YET_STARTED') {
      const forced = this.forcedUpdates.shift();
      const day = this.today();
      const used = c.unattended.get(day) ?? 0;
      if (!t.userPresent) c.unattended.set(day, used + 1);
      if (forced === 'web_form_required' || !this.consentUsable(c)) {
        c.userActionRequired = true;
        const wf = this.createWebForm(t.userId, 'BANK_CONNECTION_UPDATE', { bankConnectionId: c.id, bankId: c.bankId, taskId: t.id });
        t.status = 'WEB_FORM_REQUIRED';
        t.webFormId = wf.id;
      } else if (forced === 'bank_server_rejection' || (!t.userPresent && used >= UNATTENDED_PER_DAY)) {
        // the bank's refusal of an over-budget unattended access is TECHNICAL, not a consent problem
        this.startUpdate(c, t.userPresent, 'BANK_SERVER_REJECTION', !forced);
        c.updateDoneAt = this.now();
        this.tick(c);
        t.status = 'COMPLETED_WITH_ERROR';
        t.errorCode = 'BANK_SERVER_REJECTION';
      } else if (forced === 'internal_error') {
        this.startUpdate(c, t.userPresent, 'INTERNAL_SERVER_ERROR');
        t.status = 'IN_PROGRESS';
        t.errorCode = 'INTERNAL_ERROR';
      } else {
        this.startUpdate(c, t.userPresent);
        t.status = 'IN_PROGRESS';
        // a zero-length update (control updateDuration 0, as the parallel sync bench sets it) is done at its first look
        if (this.updateDurationMs === 0) {
          this.tick(c);
          t.status = 'COMPLETED';
        }
      }
      return t;
    }
    if (t.status === 'IN_PROGRESS' && c.updateStatus === 'READY') {
      t.status = t.errorCode ? 'COMPLETED_WITH_ERROR' : 'COMPLETED';
    } else if (t.status === 'WEB_FORM_REQUIRED' && t.webFormId) {
      const wf = this.webForms.get(t.webFormId);
      if (wf) this.tickWebForm(wf);
      if (!wf || wf.status === 'ABORTED' || wf.status === 'EXPIRED' || wf.status === 'COMPLETED_WITH_ERROR') {
        t.status = 'COMPLETED_WITH_ERROR';
        t.errorCode = wf?.errorCode === 'INVALID_TOKEN' ? 'INVALID_TOKEN' : 'BANK_SERVER_REJECTION';
      } else if (wf.status === 'COMPLETED') {
        t.status = c.updateStatus === 'READY' ? 'COMPLETED' : 'IN_PROGRESS';
      }
    }
    return t;
  }

  /** Ledger accounts of a bank login. */
  loginAccounts(login: DemoLogin): DemoAccount[] {
    return this.ledger.accounts({ bankId: login.bankId, username: login.username });
  }
}
