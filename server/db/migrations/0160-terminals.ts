export const m0160Terminals = {
  id: "0160-terminals",
  sql: `
    -- Terminals in the browser: one row per session (who, which node, when, why it ended,
    -- bytes each way). The audit log has the start and end too; this is what a trainer replays.
    CREATE TABLE terminal_sessions (
      id           TEXT PRIMARY KEY,
      node_id      TEXT NOT NULL REFERENCES nodes (id) ON DELETE CASCADE,
      actor        TEXT NOT NULL,
      started_at   TEXT NOT NULL,
      ended_at     TEXT,
      end_reason   TEXT,
      bytes_in     INTEGER NOT NULL DEFAULT 0,
      bytes_out    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX terminal_sessions_node ON terminal_sessions (node_id, started_at);
    -- What the person typed (and pasted), in order, with the time since the session started: kept for
    -- practice nodes only, so a trainer can replay a trainee's attempt.
    CREATE TABLE terminal_input (
      session_id  TEXT NOT NULL REFERENCES terminal_sessions (id) ON DELETE CASCADE,
      seq         INTEGER NOT NULL,
      at_ms       INTEGER NOT NULL,
      data        TEXT NOT NULL,
      PRIMARY KEY (session_id, seq)
    );
  `,
};
