// Stable error codes the UI and CLI act on. A new code is added here first, and its words to the catalogue
// (locales/messages: `error.<code>` says what happened, `action.<code>` what to do, where `action` is true).

export const ERROR_CODES = {
  validation: { action: false },
  forbidden: { action: false },
  not_found: { action: false },
  internal: { action: true },
  not_configured: { action: true },
  auth_failed: { action: true },
  wrong_credentials: { action: true },
  consent_expired: { action: true },
  consent_revoked: { action: true },
  needs_user: { action: true },
  action_at_bank: { action: true },
  rate_limited: { action: true },
  bank_unavailable: { action: true },
  bad_response: { action: true },
  network: { action: true },
  // an aggregator address on this computer (the demo banks) that nothing answers: not the internet's fault
  demo_not_running: { action: true },
  timeout: { action: true },
  cancelled: { action: false },
  link_expired: { action: true },
  budget_exhausted: { action: true },
  secret_storage_unavailable: { action: true },
  database_too_new: { action: true },
  // ---- database integrity and the vault key (backups)
  database_damaged: { action: true },
  vault_key_missing: { action: true },
  disk_full: { action: true },
  database_read_only: { action: true },
  bad_file: { action: true },
  import_account_unknown: { action: true },
  already_syncing: { action: true },
  // ---- the encrypted database and the app lock
  wrong_passphrase: { action: true },
  too_many_tries: { action: true },
  passphrase_required: { action: true },
  database_key_damaged: { action: true },
  locked: { action: true },
} as const satisfies Record<string, { action: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];
