// Numbered migrations: index i brings the schema from user_version i to i+1. Append only.

export const MIGRATIONS: string[] = [
  /* 1: initial schema */ `
  CREATE TABLE provider_configs (
    provider TEXT PRIMARY KEY,
    base_url TEXT NOT NULL,
    client_id TEXT NOT NULL,
    options_json TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
  );
  -- secrets: AES-256-GCM ciphertext only (main/vault); never plain text
  CREATE TABLE vault_secrets (
    name TEXT PRIMARY KEY,
    blob BLOB NOT NULL
  );
  CREATE TABLE connections (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    institution_id TEXT,
    institution_name TEXT NOT NULL,
    remote_json TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'active',
    consent_expires_at TEXT,
    state_message TEXT,
    provider_code TEXT,
    created_at TEXT NOT NULL,
    last_attempt_at TEXT,
    last_success_at TEXT,
    last_error_code TEXT,
    last_error_message TEXT,
    next_attempt_at TEXT
  );
  CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    iban TEXT,
    number TEXT,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    currency TEXT NOT NULL,
    balance_current INTEGER,
    balance_current_date TEXT,
    balance_available INTEGER,
    balance_available_date TEXT,
    selected INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (connection_id, remote_id)
  );
  CREATE TABLE balances (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount INTEGER NOT NULL,
    PRIMARY KEY (account_id, date, kind)
  ) WITHOUT ROWID;
  CREATE TABLE transactions (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    booking_date TEXT NOT NULL,
    value_date TEXT,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','booked')),
    description TEXT NOT NULL DEFAULT '',
    counterparty_name TEXT,
    counterparty_iban TEXT,
    category TEXT,
    note TEXT,
    hidden INTEGER NOT NULL DEFAULT 0,
    deleted_at TEXT,
    raw_json TEXT,
    raw_hash TEXT,
    fingerprint TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    retired_at TEXT,
    UNIQUE (account_id, remote_id)
  );
  CREATE INDEX tx_by_date ON transactions (booking_date DESC, id DESC);
  CREATE INDEX tx_by_account_date ON transactions (account_id, booking_date DESC, id DESC);
  CREATE INDEX tx_by_fingerprint ON transactions (account_id, fingerprint);
  -- earlier remote ids of a transaction (aggregators that change ids)
  CREATE TABLE transaction_remote_ids (
    account_id INTEGER NOT NULL,
    remote_id TEXT NOT NULL,
    transaction_id INTEGER NOT NULL REFERENCES transactions(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, remote_id)
  ) WITHOUT ROWID;
  CREATE VIRTUAL TABLE transactions_fts USING fts5(
    description, counterparty_name, content='transactions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER transactions_ai AFTER INSERT ON transactions BEGIN
    INSERT INTO transactions_fts(rowid, description, counterparty_name) VALUES (new.id, new.description, new.counterparty_name);
  END;
  CREATE TRIGGER transactions_ad AFTER DELETE ON transactions BEGIN
    INSERT INTO transactions_fts(transactions_fts, rowid, description, counterparty_name) VALUES ('delete', old.id, old.description, old.counterparty_name);
  END;
  CREATE TRIGGER transactions_au AFTER UPDATE OF description, counterparty_name ON transactions BEGIN
    INSERT INTO transactions_fts(transactions_fts, rowid, description, counterparty_name) VALUES ('delete', old.id, old.description, old.counterparty_name);
    INSERT INTO transactions_fts(rowid, description, counterparty_name) VALUES (new.id, new.description, new.counterparty_name);
  END;
  -- how far each account is committed; moves only inside the transaction that wrote the rows
  CREATE TABLE sync_cursors (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    committed_through TEXT,
    first_sync_done INTEGER NOT NULL DEFAULT 0,
    resume_json TEXT
  );
  CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY,
    connection_id INTEGER REFERENCES connections(id) ON DELETE SET NULL,
    trigger TEXT NOT NULL,
    user_present INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    requested_from TEXT,
    requested_to TEXT,
    served_from TEXT,
    served_to TEXT,
    new_count INTEGER NOT NULL DEFAULT 0,
    updated_count INTEGER NOT NULL DEFAULT 0,
    retired_count INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT 'running',
    error_code TEXT,
    error_message TEXT,
    duration_ms INTEGER
  );
  CREATE INDEX sync_runs_by_connection ON sync_runs (connection_id, started_at DESC);
  `,
  /* 2: removed connections kept read-only, remembered notices, a small key-value table, sync-run details */ `
  ALTER TABLE connections ADD COLUMN removed_at TEXT;
  -- consent notices already given (e.g. {"lead:2026-12-01T00:00:00Z":"...","expired:...":"..."}), owned by the consent centre
  ALTER TABLE connections ADD COLUMN notices_json TEXT NOT NULL DEFAULT '{}';
  CREATE TABLE app_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  ALTER TABLE sync_runs ADD COLUMN details_json TEXT;
  CREATE INDEX sync_runs_by_start ON sync_runs (started_at DESC, id DESC);
  CREATE INDEX accounts_by_connection ON accounts (connection_id);
  `,
  /* 3: sync engine: why a connection is deferred, open pendings for pending -> booked matching */ `
  ALTER TABLE connections ADD COLUMN next_attempt_reason TEXT;
  CREATE INDEX tx_open_pending ON transactions (account_id, booking_date) WHERE status = 'pending' AND retired_at IS NULL;
  CREATE INDEX transaction_remote_ids_by_tx ON transaction_remote_ids (transaction_id);
  `,
  /* 4: FTS for inserts can be batched per page by the sync writer (a per-row trigger flushes FTS5 at every statement) */ `
  DROP TRIGGER transactions_ai;
  CREATE TRIGGER transactions_ai AFTER INSERT ON transactions
  WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'fts.batch') BEGIN
    INSERT INTO transactions_fts(rowid, description, counterparty_name) VALUES (new.id, new.description, new.counterparty_name);
  END;
  `,
  /* 5: keyset pagination by amount (all accounts, and one account) */ `
  CREATE INDEX tx_by_amount ON transactions (amount DESC, id DESC);
  CREATE INDEX tx_by_account_amount ON transactions (account_id, amount DESC, id DESC);
  `,
  /* 6: full-text search ordered by date without sorting: a contentless FTS5 whose rowid is the sort key
        (days since 1970-01-01) * 2^32 + transactions.id, so a search walks matches newest-first and stops after one page.
        Use main/store/queries.ts (ftsKey) rather than reading transactions_fts directly. */ `
  DROP TRIGGER transactions_ai;
  DROP TRIGGER transactions_ad;
  DROP TRIGGER transactions_au;
  DROP TABLE transactions_fts;
  CREATE VIRTUAL TABLE transactions_fts USING fts5(
    description, counterparty_name, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
  );
  INSERT INTO transactions_fts(rowid, description, counterparty_name)
    SELECT (CAST(julianday(booking_date) - 2440587.5 AS INTEGER) << 32) + id, description, counterparty_name FROM transactions;
  CREATE TRIGGER transactions_ai AFTER INSERT ON transactions
  WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'fts.batch') BEGIN
    INSERT INTO transactions_fts(rowid, description, counterparty_name)
      VALUES ((CAST(julianday(new.booking_date) - 2440587.5 AS INTEGER) << 32) + new.id, new.description, new.counterparty_name);
  END;
  CREATE TRIGGER transactions_ad AFTER DELETE ON transactions BEGIN
    DELETE FROM transactions_fts WHERE rowid = (CAST(julianday(old.booking_date) - 2440587.5 AS INTEGER) << 32) + old.id;
  END;
  CREATE TRIGGER transactions_au AFTER UPDATE OF description, counterparty_name, booking_date ON transactions BEGIN
    DELETE FROM transactions_fts WHERE rowid = (CAST(julianday(old.booking_date) - 2440587.5 AS INTEGER) << 32) + old.id;
    INSERT INTO transactions_fts(rowid, description, counterparty_name)
      VALUES ((CAST(julianday(new.booking_date) - 2440587.5 AS INTEGER) << 32) + new.id, new.description, new.counterparty_name);
  END;
  `,
  /* 7: the FTS rowid runs the other way, so newest-first (the common order) is FTS5's cheap ascending walk:
        rowid = (2^20 - days since 1970-01-01) * 2^32 + (2^32 - 1 - transactions.id). See ftsKey in main/store/queries.ts. */ `
  DROP TRIGGER transactions_ai;
  DROP TRIGGER transactions_ad;
  DROP TRIGGER transactions_au;
  DELETE FROM transactions_fts;
  INSERT INTO transactions_fts(rowid, description, counterparty_name)
    SELECT ((1048576 - CAST(julianday(booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - id), description, counterparty_name FROM transactions;
  CREATE TRIGGER transactions_ai AFTER INSERT ON transactions
  WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'fts.batch') BEGIN
    INSERT INTO transactions_fts(rowid, description, counterparty_name) VALUES (((1048576 - CAST(julianday(new.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - new.id), new.description, new.counterparty_name);
  END;
  CREATE TRIGGER transactions_ad AFTER DELETE ON transactions BEGIN
    DELETE FROM transactions_fts WHERE rowid = ((1048576 - CAST(julianday(old.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - old.id);
  END;
  CREATE TRIGGER transactions_au AFTER UPDATE OF description, counterparty_name, booking_date ON transactions BEGIN
    DELETE FROM transactions_fts WHERE rowid = ((1048576 - CAST(julianday(old.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - old.id);
    INSERT INTO transactions_fts(rowid, description, counterparty_name) VALUES (((1048576 - CAST(julianday(new.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - new.id), new.description, new.counterparty_name);
  END;
  `,
  /* 8: the fingerprint is looked up inside a few days of one account (tx_by_account_date); a random-order index on it
        made every page's commit write hundreds of scattered pages */ `
  DROP INDEX tx_by_fingerprint;
  `,
  /* 9: tx_by_account_date also carries what the one-account filters and charts test (amount, hidden, deleted_at,
        retired_at): an amount range is checked in the index before a row is read, and monthly in/out is an index-only
        scan (found by bench/: 1M rows, one account's 12 months read ~17,000 table rows). Same name: INDEXED BY uses it. */ `
  DROP INDEX tx_by_account_date;
  CREATE INDEX tx_by_account_date ON transactions (account_id, booking_date DESC, id DESC, amount, hidden, deleted_at, retired_at);
  `,
  /* 10: one sync lease per connection, so two processes never sync the same connection at once (main/store/leases.ts);
        run_id is the sync_runs row the holder is writing: a 'running' run without a live lease was interrupted */ `
  CREATE TABLE sync_leases (
    connection_id INTEGER PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    run_id INTEGER,
    expires_at TEXT NOT NULL
  );
  `,
  /* 11 (issue 16): transaction rows a sync could not read, kept aside with their
        reason and a redacted copy until a later sync reads them or no longer sees them; how many each run met */ `
  CREATE TABLE unreadable_transactions (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- the aggregator's id, or '#' + a hash of the row when it has none
    row_key TEXT NOT NULL,
    remote_id TEXT,
    reason TEXT NOT NULL,
    -- names, IBANs and free text redacted (main/providers/rows.ts)
    raw_json TEXT NOT NULL,
    -- start of the window the row came in: later syncs reach back to it
    seen_from TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    UNIQUE (account_id, row_key)
  );
  ALTER TABLE sync_runs ADD COLUMN unreadable_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE sync_runs ADD COLUMN unreadable_reason TEXT;
  `,
  /* 12 (issue 17): search covers the note and the category too (the FTS table gains two columns, rebuilt for every row;
        an edit of either re-indexes the row); "Largest amount" pages by size within each currency (no exchange rates);
        one account's running balance reads tx_by_account_date only */ `
  DROP TRIGGER transactions_ai;
  DROP TRIGGER transactions_ad;
  DROP TRIGGER transactions_au;
  DROP TABLE transactions_fts;
  CREATE VIRTUAL TABLE transactions_fts USING fts5(
    description, counterparty_name, note, category, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
  );
  INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
    SELECT ((1048576 - CAST(julianday(booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - id), description, counterparty_name, note, category FROM transactions ORDER BY 1;
  CREATE TRIGGER transactions_ai AFTER INSERT ON transactions
  WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'fts.batch') BEGIN
    INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
      VALUES (((1048576 - CAST(julianday(new.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - new.id), new.description, new.counterparty_name, new.note, new.category);
  END;
  CREATE TRIGGER transactions_ad AFTER DELETE ON transactions BEGIN
    DELETE FROM transactions_fts WHERE rowid = ((1048576 - CAST(julianday(old.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - old.id);
  END;
  CREATE TRIGGER transactions_au AFTER UPDATE OF description, counterparty_name, note, category, booking_date ON transactions BEGIN
    DELETE FROM transactions_fts WHERE rowid = ((1048576 - CAST(julianday(old.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - old.id);
    INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
      VALUES (((1048576 - CAST(julianday(new.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - new.id), new.description, new.counterparty_name, new.note, new.category);
  END;
  DROP INDEX tx_by_amount;
  DROP INDEX tx_by_account_amount;
  CREATE INDEX tx_by_size ON transactions (currency, abs(amount) DESC, id DESC);
  CREATE INDEX tx_by_account_size ON transactions (account_id, currency, abs(amount) DESC, id DESC);
  -- the running balance sums booked rows: status in the index keeps those sums off the table
  DROP INDEX tx_by_account_date;
  CREATE INDEX tx_by_account_date ON transactions (account_id, booking_date DESC, id DESC, amount, hidden, deleted_at, retired_at, status);
  `,
  /* 13 (issue 17, categories): a list of categories (a default set plus every free-text category already used), who
        set each transaction's category ('user' by hand, 'rule' by a rule: a rule never overwrites a hand-set one), and
        ordered rules "text contains / amount size range / direction / account -> category" (main/store/categories.ts) */ `
  CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
  );
  UPDATE transactions SET category = nullif(trim(category), '') WHERE category IS NOT NULL;
  INSERT OR IGNORE INTO categories (name) SELECT DISTINCT category FROM transactions WHERE category IS NOT NULL ORDER BY category;
  INSERT OR IGNORE INTO categories (name) VALUES ('Groceries'), ('Housing'), ('Utilities'), ('Transport'), ('Eating out'),
    ('Shopping'), ('Health'), ('Entertainment'), ('Income'), ('Transfers'), ('Cash'), ('Fees'), ('Other');
  -- one spelling per category (the list is case-insensitive)
  UPDATE transactions SET category = (SELECT c.name FROM categories c WHERE c.name = transactions.category) WHERE category IS NOT NULL;
  ALTER TABLE transactions ADD COLUMN category_by TEXT CHECK (category_by IN ('user', 'rule'));
  UPDATE transactions SET category_by = 'user' WHERE category IS NOT NULL;
  CREATE INDEX tx_by_category ON transactions (category) WHERE category IS NOT NULL;
  CREATE TABLE category_rules (
    id INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    -- matched, as words without case or accents, against the counterparty or the description
    text_contains TEXT,
    -- bounds on the size of the amount, decimal strings in the transaction's currency ('12.50')
    min_amount TEXT,
    max_amount TEXT,
    direction TEXT CHECK (direction IN ('in', 'out')),
    account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
  );
  `,
  /* 14 (issue 17): the bank an account is held at, as the aggregator names it for that account. One Everifin connection
        reaches every bank its user connected inside Everifin; null: the connection's own bank (institution_name) */ `
  ALTER TABLE accounts ADD COLUMN bank_name TEXT;
  `,
  /* 15 (issue 21): statement files imported into an account (one sync_runs entry each; undo removes the rows still
        carrying the file's ids), the file rows' import, and the CSV column mappings remembered per bank layout */ `
  CREATE TABLE statement_imports (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    run_id INTEGER REFERENCES sync_runs(id) ON DELETE SET NULL,
    file_name TEXT NOT NULL,
    format TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    date_from TEXT,
    date_to TEXT,
    new_count INTEGER NOT NULL,
    matched_count INTEGER NOT NULL,
    skipped_count INTEGER NOT NULL,
    closing_amount INTEGER,
    closing_date TEXT,
    -- the file's closing balance was added to balances by this import (undo removes it)
    balance_added INTEGER NOT NULL DEFAULT 0,
    undone_at TEXT
  );
  CREATE INDEX statement_imports_by_account ON statement_imports (account_id, id DESC);
  ALTER TABLE transactions ADD COLUMN import_id INTEGER;
  CREATE INDEX tx_by_import ON transactions (import_id) WHERE import_id IS NOT NULL;
  CREATE TABLE csv_layouts (
    -- the header line's column names, normalised (main/import/formats/csv.ts layoutKey)
    layout_key TEXT PRIMARY KEY,
    mapping_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  /* 16 (issue 19): transfers between the user's own accounts. Both legs carry the other leg's id
        (transfer_id), how the link was made ('auto': same amount and both legs name the other's IBAN; 'suggested':
        the user may confirm; 'confirmed'; 'rejected': the user said "not a transfer", never linked again) and, across
        currencies, the implied rate. New and changed rows wait in transfer_queue for detection (main/store/transfers.ts),
        so detection only looks at new rows. */ `
  ALTER TABLE transactions ADD COLUMN transfer_id INTEGER;
  ALTER TABLE transactions ADD COLUMN transfer_state TEXT CHECK (transfer_state IN ('auto', 'suggested', 'confirmed', 'rejected'));
  ALTER TABLE transactions ADD COLUMN transfer_rate TEXT;
  -- rows that name an account by IBAN, normalised as main/domain/identifiers.ts normIban does (spaces out, upper case)
  CREATE INDEX tx_by_counterparty_iban ON transactions (replace(upper(counterparty_iban), ' ', ''), booking_date)
    WHERE counterparty_iban IS NOT NULL;
  CREATE INDEX tx_transfers ON transactions (booking_date, id) WHERE transfer_id IS NOT NULL;
  CREATE TABLE transfer_queue (transaction_id INTEGER PRIMARY KEY);
  INSERT INTO transfer_queue SELECT id FROM transactions WHERE deleted_at IS NULL AND retired_at IS NULL;
  CREATE TRIGGER transfer_queue_ai AFTER INSERT ON transactions BEGIN
    INSERT OR IGNORE INTO transfer_queue (transaction_id) VALUES (new.id);
  END;
  CREATE TRIGGER transfer_queue_au AFTER UPDATE OF amount, currency, booking_date, counterparty_iban, status, retired_at ON transactions
  WHEN new.transfer_id IS NULL AND (old.amount IS NOT new.amount OR old.currency IS NOT new.currency OR old.booking_date IS NOT new.booking_date
    OR old.counterparty_iban IS NOT new.counterparty_iban OR old.status IS NOT new.status OR old.retired_at IS NOT new.retired_at) BEGIN
    INSERT OR IGNORE INTO transfer_queue (transaction_id) VALUES (new.id);
  END;
  -- a leg that goes (removed with its import or account, deleted by the user, a pending the bank dropped) frees the other
  -- leg, which is looked at again
  CREATE TRIGGER transfer_leg_ad AFTER DELETE ON transactions WHEN old.transfer_id IS NOT NULL BEGIN
    UPDATE transactions SET transfer_id = NULL, transfer_state = NULL, transfer_rate = NULL WHERE id = old.transfer_id AND transfer_id = old.id;
    INSERT OR IGNORE INTO transfer_queue (transaction_id) VALUES (old.transfer_id);
  END;
  CREATE TRIGGER transfer_leg_gone AFTER UPDATE OF deleted_at, retired_at ON transactions
  WHEN old.transfer_id IS NOT NULL AND (new.deleted_at IS NOT NULL OR new.retired_at IS NOT NULL) BEGIN
    UPDATE transactions SET transfer_id = NULL, transfer_state = NULL, transfer_rate = NULL WHERE id IN (old.id, old.transfer_id);
    INSERT OR IGNORE INTO transfer_queue (transaction_id) VALUES (old.transfer_id);
  END;
  `,
  /* 17 (issue 19): the ECB's euro reference rates kept for offline use (units of `currency` per 1 EUR, the
        ECB's decimal text), and which account of a group of copies (the same account reached through several
        connections) the user prefers; without a row the first copy of a live connection is shown */ `
  CREATE TABLE fx_rates (
    currency TEXT NOT NULL,
    date TEXT NOT NULL,
    rate TEXT NOT NULL,
    PRIMARY KEY (currency, date)
  ) WITHOUT ROWID;
  CREATE TABLE preferred_copies (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE
  );
  `,
  /* 18 (issue 23): the raw payloads leave the rows (1 KB a row was 2/3 of the database): each write step's raws are
        deflated together into one raw_pages row (main/store/rawpages.ts), the rows point at theirs (raw_page) and a
        page lives while a row points at it. Existing raws are packed 512 rows (by id) a page; mb_pack_raws is registered
        by migrate(). The freed space is given back by one VACUUM after the migration (app_meta 'vacuum.due'). One
        transaction as every migration: a crash leaves the database as it was and the next open runs it again.
        tx_by_account_size goes: one account's rows sorted by size are sorted from tx_by_account_date (an account holds
        tens of thousands of rows, not millions), and it cost ~20 bytes and a scattered index write per row.
        raw_hash and fingerprint become the first 6 bytes of their SHA-1 as a blob (mb_hash48 decodes the base64 text: the
        same bytes main/sync/writer.ts hash48 gives), where the text took 17 to 23. */ `
  DROP INDEX tx_by_account_size;
  CREATE TABLE raw_pages (
    id INTEGER PRIMARY KEY,
    -- rows pointing here
    live INTEGER NOT NULL DEFAULT 0,
    packed BLOB NOT NULL
  );
  ALTER TABLE transactions ADD COLUMN raw_page INTEGER;
  WITH RECURSIVE pages(p) AS (
    SELECT (SELECT min(id) FROM transactions) >> 9
    UNION ALL SELECT p + 1 FROM pages WHERE p < (SELECT max(id) FROM transactions) >> 9
  )
  INSERT INTO raw_pages (id, packed)
    SELECT p, packed FROM (SELECT p, (SELECT mb_pack_raws(id, raw_json) FROM transactions WHERE id BETWEEN p << 9 AND (p << 9) + 511) AS packed FROM pages)
    WHERE packed IS NOT NULL;
  UPDATE transactions SET raw_page = CASE WHEN raw_json IS NOT NULL THEN id >> 9 END, raw_hash = mb_hash48(raw_hash), fingerprint = mb_hash48(fingerprint);
  ALTER TABLE transactions DROP COLUMN raw_json;
  UPDATE raw_pages SET live = (SELECT count(*) FROM transactions WHERE id BETWEEN raw_pages.id << 9 AND (raw_pages.id << 9) + 511 AND raw_page = raw_pages.id);
  CREATE TRIGGER raw_page_left AFTER UPDATE OF raw_page ON transactions WHEN old.raw_page IS NOT NULL AND old.raw_page IS NOT new.raw_page BEGIN
    UPDATE raw_pages SET live = live - 1 WHERE id = old.raw_page;
    DELETE FROM raw_pages WHERE id = old.raw_page AND live <= 0;
  END;
  CREATE TRIGGER raw_page_row_gone AFTER DELETE ON transactions WHEN old.raw_page IS NOT NULL BEGIN
    UPDATE raw_pages SET live = live - 1 WHERE id = old.raw_page;
    DELETE FROM raw_pages WHERE id = old.raw_page AND live <= 0;
  END;
  INSERT OR REPLACE INTO app_meta (key, value) VALUES ('vacuum.due', '18');
  `,
  /* 19 (issue 23): a smaller FTS index and a cheaper write path. The FTS table keeps no per-row column sizes
        (columnsize=0: bm25 ranking is never used, and they took ~10 bytes a row); contentless_delete=1 refuses
        columnsize=0, so rows leave it by FTS5's 'delete' command with the values they were indexed with (the triggers
        below have them as old.*). Rows the sync writer inserts (they have a raw_page) skip the per-row triggers: the
        writer adds their FTS rows in one statement per step and hands their ids to transfer detection
        (main/store/syncwrites.ts). raw_pages says how each page is compressed: the ones packed so far are 'deflate',
        the writer's new ones 'brotli' (main/store/rawpages.ts). One transaction, then one VACUUM (app_meta 'vacuum.due'). */ `
  DROP TRIGGER transactions_ai;
  DROP TRIGGER transactions_ad;
  DROP TRIGGER transactions_au;
  DROP TABLE transactions_fts;
  DELETE FROM app_meta WHERE key = 'fts.batch';
  CREATE VIRTUAL TABLE transactions_fts USING fts5(
    description, counterparty_name, note, category, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2'
  );
  INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
    SELECT ((1048576 - CAST(julianday(booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - id), description, counterparty_name, note, category FROM transactions ORDER BY 1;
  CREATE TRIGGER transactions_ai AFTER INSERT ON transactions WHEN new.raw_page IS NULL BEGIN
    INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
      VALUES (((1048576 - CAST(julianday(new.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - new.id), new.description, new.counterparty_name, new.note, new.category);
  END;
  CREATE TRIGGER transactions_ad AFTER DELETE ON transactions BEGIN
    INSERT INTO transactions_fts(transactions_fts, rowid, description, counterparty_name, note, category)
      VALUES ('delete', ((1048576 - CAST(julianday(old.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - old.id), old.description, old.counterparty_name, old.note, old.category);
  END;
  CREATE TRIGGER transactions_au AFTER UPDATE OF description, counterparty_name, note, category, booking_date ON transactions BEGIN
    INSERT INTO transactions_fts(transactions_fts, rowid, description, counterparty_name, note, category)
      VALUES ('delete', ((1048576 - CAST(julianday(old.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - old.id), old.description, old.counterparty_name, old.note, old.category);
    INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
      VALUES (((1048576 - CAST(julianday(new.booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - new.id), new.description, new.counterparty_name, new.note, new.category);
  END;
  DROP TRIGGER transfer_queue_ai;
  CREATE TRIGGER transfer_queue_ai AFTER INSERT ON transactions WHEN new.raw_page IS NULL BEGIN
    INSERT OR IGNORE INTO transfer_queue (transaction_id) VALUES (new.id);
  END;
  ALTER TABLE raw_pages ADD COLUMN codec TEXT NOT NULL DEFAULT 'deflate' CHECK (codec IN ('deflate', 'brotli'));
  INSERT OR REPLACE INTO app_meta (key, value) VALUES ('vacuum.due', '19');
  `,
  /* 20 (issue 23): each account's booked movements summed per day, so a page's running balances read the days from the
        page to its anchor as a few hundred small rows, not every transaction between (main/store/queries.ts
        runningBalances). Kept by triggers; the rows the sync writer inserts (they have a raw_page) are added in one
        statement per step (main/store/syncwrites.ts), as their FTS rows are. A day whose rows are gone keeps a 0. */ `
  CREATE TABLE booked_day_sums (
    account_id INTEGER NOT NULL, booking_date TEXT NOT NULL, amount INTEGER NOT NULL,
    PRIMARY KEY (account_id, booking_date)
  ) WITHOUT ROWID;
  INSERT INTO booked_day_sums (account_id, booking_date, amount)
    SELECT account_id, booking_date, sum(amount) FROM transactions WHERE status = 'booked' AND retired_at IS NULL GROUP BY account_id, booking_date;
  CREATE TRIGGER booked_day_sums_ai AFTER INSERT ON transactions WHEN new.raw_page IS NULL AND new.status = 'booked' AND new.retired_at IS NULL BEGIN
    INSERT INTO booked_day_sums (account_id, booking_date, amount) VALUES (new.account_id, new.booking_date, new.amount)
      ON CONFLICT DO UPDATE SET amount = amount + excluded.amount;
  END;
  CREATE TRIGGER booked_day_sums_ad AFTER DELETE ON transactions WHEN old.status = 'booked' AND old.retired_at IS NULL BEGIN
    UPDATE booked_day_sums SET amount = amount - old.amount WHERE account_id = old.account_id AND booking_date = old.booking_date;
  END;
  CREATE TRIGGER booked_day_sums_au AFTER UPDATE OF account_id, booking_date, amount, status, retired_at ON transactions BEGIN
    UPDATE booked_day_sums SET amount = amount - old.amount
      WHERE old.status = 'booked' AND old.retired_at IS NULL AND account_id = old.account_id AND booking_date = old.booking_date;
    INSERT INTO booked_day_sums (account_id, booking_date, amount)
      SELECT new.account_id, new.booking_date, new.amount WHERE new.status = 'booked' AND new.retired_at IS NULL
      ON CONFLICT DO UPDATE SET amount = amount + excluded.amount;
  END;
  `,
];
