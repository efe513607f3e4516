export const m0030Auth = {
  id: "0030-auth",
  sql: `
    CREATE TABLE users (
      id            TEXT PRIMARY KEY,
      name          TEXT NOT NULL UNIQUE,
      role          TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
      password_hash TEXT NOT NULL,   -- scrypt$N$r$p$salt$hash (base64url)
      disabled      INTEGER NOT NULL DEFAULT 0,
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL,
      last_sign_in_at TEXT
    );
    -- The cookie carries a random token; only its sha256 is stored, so a copy of the database
    -- does not sign anyone in.
    CREATE TABLE sessions (
      token_hash    TEXT PRIMARY KEY,
      user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at    TEXT NOT NULL,
      expires_at    TEXT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id);
    -- One-time links printed at first start to create the first admin.
    CREATE TABLE setup_tokens (
      token_hash    TEXT PRIMARY KEY,
      created_at    TEXT NOT NULL,
      expires_at    TEXT NOT NULL
    );
    CREATE INDEX audit_log_actor ON audit_log (actor, at);
  `,
};
