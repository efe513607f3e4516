export const m0002Audit = {
  id: "0002-audit",
  sql: `
    -- Append-only: the application never updates or deletes rows (triggers enforce it).
    CREATE TABLE audit_log (
      seq          INTEGER PRIMARY KEY AUTOINCREMENT,
      at           TEXT NOT NULL,
      actor        TEXT,             -- user name, or 'system'
      action       TEXT NOT NULL,    -- e.g. 'command', 'sign-in', 'sign-in-failed', 'host-key-trusted', 'node-created'
      node_id      TEXT,
      run_id       TEXT,
      step_id      TEXT,
      command      TEXT,             -- as run, secrets redacted
      exit_code    INTEGER,
      duration_ms  INTEGER,
      output_bytes INTEGER,
      detail       TEXT              -- JSON
    );
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE INDEX audit_log_node ON audit_log (node_id, at);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
};
