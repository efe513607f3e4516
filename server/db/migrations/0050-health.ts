export const m0050Health = {
  id: "0050-health",
  sql: `
    -- Health scans: one scan = every selected node checked once, all probes in one round trip
    -- per node. In-flight scans become 'interrupted' when the server restarts.
    CREATE TABLE health_scans (
      id           TEXT PRIMARY KEY,
      trigger      TEXT NOT NULL CHECK (trigger IN ('manual', 'auto')),
      actor        TEXT,
      status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted')),
      started_at   TEXT NOT NULL,
      finished_at  TEXT
    );
    CREATE INDEX health_scans_started ON health_scans (started_at);

    -- Per-node progress of a scan (queued -> connecting -> probing -> done | unreachable).
    CREATE TABLE health_scan_nodes (
      scan_id      TEXT NOT NULL REFERENCES health_scans (id) ON DELETE CASCADE,
      node_id      TEXT NOT NULL,
      node_name    TEXT NOT NULL,
      position     INTEGER NOT NULL,
      state        TEXT NOT NULL CHECK (state IN ('queued', 'connecting', 'probing', 'done', 'unreachable')),
      message      TEXT,
      duration_ms  INTEGER,
      check_id     INTEGER,
      PRIMARY KEY (scan_id, node_id)
    );

    -- The health history. No foreign key to nodes: history outlives a deleted node (its name is kept).
    CREATE TABLE health_checks (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      scan_id      TEXT,
      node_id      TEXT NOT NULL,
      node_name    TEXT NOT NULL,
      at           TEXT NOT NULL,
      reachable    INTEGER NOT NULL,
      error_kind   TEXT,
      message      TEXT,
      duration_ms  INTEGER NOT NULL,
      boot_id      TEXT,
      booted_at    TEXT
    );
    CREATE INDEX health_checks_node ON health_checks (node_id, id);

    -- One probe's verdict in one check; checks and raw are JSON (parsed with zod when read back).
    CREATE TABLE health_results (
      check_id     INTEGER NOT NULL REFERENCES health_checks (id) ON DELETE CASCADE,
      probe_id     TEXT NOT NULL,
      title        TEXT NOT NULL,
      status       TEXT NOT NULL CHECK (status IN ('ok', 'warn', 'fail', 'unknown')),
      observed     TEXT NOT NULL,
      expected     TEXT NOT NULL,
      detail       TEXT NOT NULL,
      fix_step_id  TEXT,
      checks       TEXT NOT NULL,
      raw          TEXT NOT NULL,
      PRIMARY KEY (check_id, probe_id)
    );

    -- The last known (ok/warn/fail) verdict per node and probe, and the last time it was ok: what drift
    -- detection compares a new check with (an unknown or unreachable check does not erase it).
    CREATE TABLE health_probe_state (
      node_id          TEXT NOT NULL,
      probe_id         TEXT NOT NULL,
      status           TEXT NOT NULL,
      check_id         INTEGER NOT NULL,
      at               TEXT NOT NULL,
      last_ok_check_id INTEGER,
      last_ok_at       TEXT,
      last_ok_boot_id  TEXT,
      PRIMARY KEY (node_id, probe_id)
    );

    -- A probe that was ok and is now warn/fail; resolved when it is ok again.
    CREATE TABLE health_drift (
      id               INTEGER PRIMARY KEY AUTOINCREMENT,
      node_id          TEXT NOT NULL,
      node_name        TEXT NOT NULL,
      probe_id         TEXT NOT NULL,
      probe_title      TEXT NOT NULL,
      fix_step_id      TEXT,
      detected_at      TEXT NOT NULL,
      check_id         INTEGER NOT NULL,
      last_ok_at       TEXT NOT NULL,
      last_ok_check_id INTEGER NOT NULL,
      to_status        TEXT NOT NULL CHECK (to_status IN ('warn', 'fail')),
      observed         TEXT NOT NULL,
      expected         TEXT NOT NULL,
      checks           TEXT NOT NULL,
      rebooted         INTEGER NOT NULL,
      booted_at        TEXT,
      resolved_at      TEXT,
      resolved_check_id INTEGER
    );
    CREATE INDEX health_drift_node ON health_drift (node_id, probe_id, resolved_at);
    CREATE INDEX health_drift_detected ON health_drift (detected_at);
  `,
};
