export const m0071CommandsInFlight = {
  id: "0071-commands-in-flight",
  sql: `
    -- Commands running on hosts right now (server/hosts). The audit row is written when a command ends;
    -- if the dashboard stops first, start-up turns what is left here into audit rows that say so, so
    -- the audit log still has every command a host ran.
    CREATE TABLE commands_in_flight (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      started_at  TEXT NOT NULL,
      actor       TEXT,
      action      TEXT NOT NULL,
      node_id     TEXT,
      run_id      TEXT,
      scan_id     TEXT,
      step_id     TEXT,
      command     TEXT,
      script_hash TEXT,
      detail      TEXT
    );
  `,
};
