export const m0151RolloutWaits = {
  id: "0151-rollout-waits",
  sql: `
    -- A rolling run waiting between batches (issue 16): for an operator's Continue after its canary
    -- batch, or for its pause to end (JSON, lib/contracts/runs RolloutWait; NULL when not waiting). The
    -- run view shows why it waits; a dashboard restart while waiting names the nodes never started.
    ALTER TABLE runs ADD COLUMN waiting TEXT;
  `,
};
