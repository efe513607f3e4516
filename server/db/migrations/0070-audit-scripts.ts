export const m0070AuditScripts = {
  id: "0070-audit-scripts",
  sql: `
    -- Generated scripts (facts, probe batches) are long and the same again and again: each is stored
    -- once, by the sha256 of its text, and audit rows refer to it.
    CREATE TABLE audit_scripts (
      hash       TEXT PRIMARY KEY,   -- sha256 hex of text
      text       TEXT NOT NULL,      -- as run, secrets redacted
      first_seen TEXT NOT NULL
    );
    CREATE TRIGGER audit_scripts_no_update BEFORE UPDATE ON audit_scripts BEGIN SELECT RAISE(ABORT, 'audit_scripts is append-only'); END;
    CREATE TRIGGER audit_scripts_no_delete BEFORE DELETE ON audit_scripts BEGIN SELECT RAISE(ABORT, 'audit_scripts is append-only'); END;
    ALTER TABLE audit_log ADD COLUMN scan_id TEXT;
    ALTER TABLE audit_log ADD COLUMN script_hash TEXT REFERENCES audit_scripts (hash);
    CREATE INDEX audit_log_run ON audit_log (run_id);
    CREATE INDEX audit_log_scan ON audit_log (scan_id);
  `,
};
