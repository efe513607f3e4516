export const m0101Training = {
  id: "0101-training",
  sql: `
    -- The practice node a trainee works on: one each, and a node serves one trainee at a time (two
    -- trainees resetting and breaking one node would undo each other's work).
    CREATE TABLE trainee_nodes (
      user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      node_id     TEXT NOT NULL UNIQUE REFERENCES nodes (id) ON DELETE CASCADE,
      assigned_at TEXT NOT NULL,
      assigned_by TEXT
    );

    -- Start, stop and reset of practice nodes run in the background (seconds to minutes); the Practice
    -- page follows their phases. By node number: a node that is being started has no row in nodes yet.
    CREATE TABLE practice_ops (
      id          TEXT PRIMARY KEY,
      node_number INTEGER NOT NULL,
      kind        TEXT NOT NULL CHECK (kind IN ('start', 'stop', 'reset')),
      status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
      actor       TEXT,
      reason      TEXT,
      events      TEXT NOT NULL DEFAULT '[]',  -- JSON: [{ at, message }], the phases as they happened
      message     TEXT,
      started_at  TEXT NOT NULL,
      finished_at TEXT
    );
    CREATE INDEX practice_ops_node ON practice_ops (node_number, started_at);

    -- When someone last used a practice node (an operation, a scenario, a run): idle nodes are stopped.
    CREATE TABLE practice_activity (
      node_id TEXT PRIMARY KEY REFERENCES nodes (id) ON DELETE CASCADE,
      at      TEXT NOT NULL
    );

    -- One attempt at a training scenario: the node reset and broken, then checked until it passes.
    -- No foreign key to nodes: a trainee's history outlives a removed practice node.
    CREATE TABLE scenario_attempts (
      id              TEXT PRIMARY KEY,
      user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      scenario_id     TEXT NOT NULL,
      node_id         TEXT NOT NULL,
      node_name       TEXT NOT NULL,
      state           TEXT NOT NULL CHECK (state IN ('preparing', 'ready', 'passed', 'failed-to-start', 'abandoned')),
      started_at      TEXT NOT NULL,
      ready_at        TEXT,
      passed_at       TEXT,
      hints_opened    INTEGER NOT NULL DEFAULT 0,
      solution_viewed INTEGER NOT NULL DEFAULT 0,
      checks          INTEGER NOT NULL DEFAULT 0,
      op              TEXT,  -- JSON: the background operation (start or check) in progress or last
      last_check      TEXT,  -- JSON: the last grading, every objective with its probe's verdict and raw output
      last_check_at   TEXT
    );
    CREATE INDEX scenario_attempts_user ON scenario_attempts (user_id, scenario_id, started_at);
    CREATE INDEX scenario_attempts_node ON scenario_attempts (node_id, started_at);

    -- Self-check answers (chapter 0 and every wizard step): every submission, newest counts.
    CREATE TABLE self_check_answers (
      id          INTEGER PRIMARY KEY,
      user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      check_id    TEXT NOT NULL,
      answered_at TEXT NOT NULL,
      correct     INTEGER NOT NULL,
      total       INTEGER NOT NULL,
      answers     TEXT NOT NULL  -- JSON: { questionId: choiceIndex }
    );
    CREATE INDEX self_check_answers_user ON self_check_answers (user_id, check_id, answered_at);
  `,
};
