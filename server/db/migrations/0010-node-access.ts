export const m0010NodeAccess = {
  id: "0010-node-access",
  sql: `
    -- Sealed secrets (server/secrets: AES-256-GCM, bound to node id + field) live apart from the
    -- node rows, so no query that lists nodes ever carries a ciphertext.
    CREATE TABLE node_secrets (
      node_id    TEXT NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
      field      TEXT NOT NULL CHECK (field IN ('private-key', 'passphrase', 'password', 'sudo-password')),
      sealed     TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (node_id, field)
    );

    -- The trusted host key (pinned) and the last key offered that is not trusted (first contact, or
    -- a changed key waiting for an admin's "replace key").
    ALTER TABLE nodes ADD COLUMN host_key_type TEXT;
    ALTER TABLE nodes ADD COLUMN host_key TEXT;
    ALTER TABLE nodes ADD COLUMN host_key_source TEXT CHECK (host_key_source IN ('operator', 'practice-image'));
    ALTER TABLE nodes ADD COLUMN host_key_trusted_at TEXT;
    ALTER TABLE nodes ADD COLUMN host_key_trusted_by TEXT;
    ALTER TABLE nodes ADD COLUMN offered_host_key_type TEXT;
    ALTER TABLE nodes ADD COLUMN offered_host_key TEXT;
    ALTER TABLE nodes ADD COLUMN offered_at TEXT;

    -- The last connection check (Test connection, facts), for the list's status column.
    ALTER TABLE nodes ADD COLUMN last_check_at TEXT;
    ALTER TABLE nodes ADD COLUMN last_check_ok INTEGER;
    ALTER TABLE nodes ADD COLUMN last_check_kind TEXT;
    ALTER TABLE nodes ADD COLUMN last_check_message TEXT;

    CREATE TABLE node_facts (
      node_id     TEXT PRIMARY KEY REFERENCES nodes(id) ON DELETE CASCADE,
      facts       TEXT NOT NULL,  -- JSON, lib/contracts/facts.ts HostFacts
      gathered_at TEXT NOT NULL
    );

    -- The dashboard's own SSH key pair (generated once), offered as an authentication method.
    CREATE TABLE dashboard_keys (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      public_key  TEXT NOT NULL,
      private_key TEXT NOT NULL,  -- sealed
      created_at  TEXT NOT NULL
    );
  `,
};
