export const m0150RollingRuns = {
  id: "0150-rolling-runs",
  sql: `
    -- Rolling runs: the batch plan a run followed (JSON, lib/contracts/runs RolloutPlan; NULL
    -- when every node ran at once) and each node's batch, so the record says what ran when and why a
    -- node never started.
    ALTER TABLE runs ADD COLUMN rolling TEXT;
    ALTER TABLE run_nodes ADD COLUMN batch INTEGER;
  `,
};
