export const m0020Runs = {
  id: "0020-runs",
  sql: `
    -- A run: steps on nodes, check or apply. Survives restarts (in-flight ones become 'interrupted').
    CREATE TABLE runs (
      id           TEXT PRIMARY KEY,
      mode         TEXT NOT NULL CHECK (mode IN ('check', 'apply')),
      step_ids     TEXT NOT NULL,   -- JSON array, catalog order
      status       TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
      actor        TEXT,
      created_at   TEXT NOT NULL,
      finished_at  TEXT,
      message      TEXT
    );
    CREATE INDEX runs_created ON runs (created_at);

    -- No foreign key to nodes: a run's history outlives a deleted node (its name is kept here).
    CREATE TABLE run_nodes (
      run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      node_id      TEXT NOT NULL,
      node_name    TEXT NOT NULL,
      position     INTEGER NOT NULL,
      status       TEXT NOT NULL,
      message      TEXT,
      PRIMARY KEY (run_id, node_id)
    );
    CREATE INDEX run_nodes_node ON run_nodes (node_id, status);

    -- The outcome of one step on one node: the wizard's per-node progress reads this.
    CREATE TABLE run_steps (
      run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      node_id      TEXT NOT NULL,
      step_id      TEXT NOT NULL,
      mode         TEXT NOT NULL,
      status       TEXT NOT NULL,
      verified     INTEGER NOT NULL,
      finished_at  TEXT NOT NULL,
      PRIMARY KEY (run_id, node_id, step_id)
    );
    CREATE INDEX run_steps_node_step ON run_steps (node_id, step_id, finished_at);

    -- Numbered per run; data is the whole event as JSON (parsed with zod when read back).
    CREATE TABLE run_events (
      run_id   TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      seq      INTEGER NOT NULL,
      at       TEXT NOT NULL,
      node_id  TEXT,
      type     TEXT NOT NULL,
      data     TEXT NOT NULL,
      PRIMARY KEY (run_id, seq)
    );
  `,
};
