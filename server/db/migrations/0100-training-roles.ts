export const m0100TrainingRoles = {
  id: "0100-training-roles",
  // Two roles for training: `trainee` (below viewer: sees and touches only the practice
  // nodes assigned to them) and `trainer` (above operator: manages practice nodes, trainees and their
  // progress). SQLite cannot change a CHECK constraint in place, so the table is rebuilt. Dropping
  // `users` would cascade to `sessions` (foreign keys are on and migrations run in a transaction, where
  // PRAGMA foreign_keys cannot be switched off): the sessions are kept aside and put back, so nobody is
  // signed out by the upgrade.
  sql: `
    CREATE TABLE users_new (
      id            TEXT PRIMARY KEY,
      name          TEXT NOT NULL UNIQUE,
      role          TEXT NOT NULL CHECK (role IN ('trainee', 'viewer', 'operator', 'trainer', 'admin')),
      password_hash TEXT NOT NULL,
      disabled      INTEGER NOT NULL DEFAULT 0,
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL,
      last_sign_in_at TEXT
    );
    INSERT INTO users_new (id, name, role, password_hash, disabled, created_at, updated_at, last_sign_in_at)
      SELECT id, name, role, password_hash, disabled, created_at, updated_at, last_sign_in_at FROM users;
    CREATE TEMP TABLE sessions_kept AS SELECT * FROM sessions;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;
    INSERT INTO sessions SELECT * FROM sessions_kept;
    DROP TABLE sessions_kept;
  `,
};
