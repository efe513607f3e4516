export const m0001Core = {
  id: "0001-core",
  sql: `
    CREATE TABLE nodes (
      id            TEXT PRIMARY KEY,
      name          TEXT NOT NULL UNIQUE,
      address       TEXT NOT NULL,
      port          INTEGER NOT NULL DEFAULT 22,
      username      TEXT NOT NULL,
      auth_method   TEXT NOT NULL CHECK (auth_method IN ('key', 'password', 'dashboard-key')),
      privilege     TEXT NOT NULL CHECK (privilege IN ('root', 'sudo-nopasswd', 'sudo-password')),
      practice      INTEGER NOT NULL DEFAULT 0,
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL
    );
  `,
};
