// Every react-query key comes from here (design.md convention 5), so invalidation can't miss.
export const queryKeys = {
  nodes: {
    all: ["nodes"] as const,
    list: () => ["nodes", "list"] as const,
    detail: (id: string) => ["nodes", "detail", id] as const,
    /** The node's report (wizard ending); under "nodes", so a run's end refreshes it. */
    report: (id: string) => ["nodes", "report", id] as const,
  },
  /** Node groups; invalidated with the nodes after an inventory import. */
  groups: {
    all: ["groups"] as const,
    list: () => ["groups", "list"] as const,
  },
  runs: {
    all: ["runs"] as const,
    list: () => ["runs", "list"] as const,
    detail: (id: string) => ["runs", "detail", id] as const,
  },
  catalog: {
    all: ["catalog"] as const,
    steps: () => ["catalog", "steps"] as const,
    /** Per-node wizard progress; invalidated when a run on those nodes ends. */
    progress: (nodeIds: readonly string[]) => ["catalog", "progress", [...nodeIds].sort().join(",")] as const,
  },
  auth: {
    me: () => ["auth", "me"] as const,
  },
  terminals: {
    all: ["terminals"] as const,
    sessions: () => ["terminals", "sessions"] as const,
    /** A session's kept input (it grows while the session is open). */
    input: (sessionId: string) => ["terminals", "input", sessionId] as const,
  },
  users: {
    all: ["users"] as const,
    list: () => ["users", "list"] as const,
  },
  audit: {
    all: ["audit"] as const,
    list: (filter: Record<string, string | undefined>) => ["audit", "list", filter] as const,
    /** A stored script's text never changes (it is keyed by its sha256). */
    script: (hash: string) => ["audit", "script", hash] as const,
  },
  artifacts: {
    all: ["artifacts"] as const,
    /** The release list with per-file cache state; invalidated after an upload or a fetch. */
    releases: () => ["artifacts", "releases"] as const,
  },
  health: {
    /** Everything health: invalidate after a run ends on any node, or after a scan. */
    all: ["health"] as const,
    matrix: () => ["health", "matrix"] as const,
    node: (nodeId: string) => ["health", "node", nodeId] as const,
    check: (checkId: number) => ["health", "check", checkId] as const,
    drift: (filter: { open?: boolean; nodeId?: string }) => ["health", "drift", filter] as const,
    /** The automatic refresh: a query whose fetch starts a scan, refetched every `intervalMs`. Outside
     *  the "health" prefix on purpose: invalidating health must not start scans. */
    autoScan: (intervalMs: number) => ["health-auto-scan", intervalMs] as const,
  },
  practice: {
    all: ["practice"] as const,
    overview: () => ["practice", "overview"] as const,
  },
  training: {
    all: ["training"] as const,
    scenarios: () => ["training", "scenarios"] as const,
    scenario: (id: string) => ["training", "scenario", id] as const,
    attempt: (id: string) => ["training", "attempt", id] as const,
    trainees: () => ["training", "trainees"] as const,
    progress: () => ["training", "progress"] as const,
    selfCheck: (id: string) => ["training", "self-check", id] as const,
  },
  /** The dashboard's own SSH public key (Nodes page). */
  dashboardKey: () => ["dashboard-key"] as const,
};
