// Stable error codes the UI and CLI act on. A new code is added here first.

export const ERROR_CODES = {
  validation: { message: 'The request was not valid.', action: null },
  forbidden: { message: 'This request is not allowed.', action: null },
  not_found: { message: 'That item no longer exists.', action: null },
  internal: { message: 'Something went wrong inside Multibank.', action: 'Try again; if it keeps happening, see the sync log.' },
  not_configured: { message: 'This aggregator is not set up yet.', action: 'Open Settings and add its credentials.' },
  auth_failed: { message: 'The aggregator refused the credentials.', action: 'Check the client id and secret in Settings.' },
  wrong_credentials: { message: 'The bank refused the login details.', action: 'Check your bank login and try again.' },
  consent_expired: { message: 'Access to this bank has expired.', action: 'Renew' },
  consent_revoked: { message: 'Access was withdrawn at the bank or aggregator.', action: 'Reconnect' },
  needs_user: { message: 'The bank needs you to confirm it is you.', action: 'Renew' },
  action_at_bank: { message: 'The bank wants you to do something on its own website.', action: 'Open your bank' },
  rate_limited: { message: 'The bank or aggregator asked us to slow down.', action: 'It will retry automatically.' },
  bank_unavailable: { message: 'The bank or aggregator is temporarily unavailable.', action: 'It will retry automatically.' },
  bad_response: { message: 'The aggregator sent a response we could not read. Nothing was changed.', action: 'Try again later.' },
  network: { message: 'Could not reach the aggregator.', action: 'Check your internet connection.' },
  // an aggregator address on this computer (the demo banks) that nothing answers: not the internet's fault
  demo_not_running: { message: 'The demo banks on this computer are not running.', action: 'Start them in Settings → Demo banks.' },
  timeout: { message: 'The aggregator took too long to answer. Nothing was changed.', action: 'Try again later.' },
  cancelled: { message: 'Cancelled.', action: null },
  link_expired: { message: 'This sign-in link is no longer valid.', action: 'Start linking again.' },
  budget_exhausted: { message: 'The bank allows only a few background refreshes a day.', action: 'Sync now to refresh while you are here.' },
  secret_storage_unavailable: { message: 'Your system cannot encrypt secrets.', action: 'Allow plain-text storage in Settings, or use a desktop keyring.' },
  database_too_new: { message: 'This database was written by a newer Multibank.', action: 'Update Multibank.' },
  // ---- database integrity and the vault key (backups)
  database_damaged: {
    message: 'The database file is damaged (it failed its integrity check). Multibank will not write to it, so nothing more is lost.',
    action: 'Restore the newest backup in Settings → Backups.',
  },
  vault_key_missing: {
    message: 'The key that unlocks your saved secrets is missing, so stored bank sign-ins and aggregator secrets cannot be read.',
    action: 'Put the key back, or reset saved secrets in Settings (connections and history stay) and sign in again.',
  },
  disk_full: { message: 'Multibank could not write to its database because the disk is full. Nothing was lost.', action: 'Free some space and sync again.' },
  database_read_only: { message: 'Multibank could not write to its database because the file or its folder is read-only. Nothing was lost.', action: 'Make the data folder writable for your user (or the disk writable) and try again.' },
  bad_file: { message: 'This file could not be imported. Nothing was written.', action: 'Check that it is a statement of this account in CAMT.053, MT940, OFX or CSV.' },
  import_account_unknown: { message: 'Multibank does not know which account this statement file is for. Nothing was imported.', action: 'Choose the account to import it into, or create a manual account for it.' },
  already_syncing: { message: 'This connection is already syncing in another Multibank window or process.', action: 'Wait for that sync to finish; its result will be in the sync log.' },
  // ---- the encrypted database and the app lock
  wrong_passphrase: { message: 'That passphrase is wrong. Nothing was changed.', action: 'Type it again; check Caps Lock and the keyboard layout.' },
  too_many_tries: { message: 'Too many wrong passphrases in a row. Nothing was changed.', action: 'Wait a moment, then try again.' },
  passphrase_required: { message: 'This data is encrypted and needs its passphrase.', action: 'Give the passphrase (--passphrase-file, or MULTIBANK_PASSPHRASE for scripts, or type it when asked).' },
  database_key_damaged: { message: 'The key that unlocks the database is damaged or does not fit, so the database cannot be opened. Nothing was changed.', action: 'Restore the key file from your own backup of the data folder.' },
  locked: { message: 'Multibank is locked.', action: 'Unlock it with your passphrase.' },
} as const satisfies Record<string, { message: string; action: string | null }>;

export type ErrorCode = keyof typeof ERROR_CODES;
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];
