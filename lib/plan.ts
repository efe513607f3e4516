import type { PlannedAction } from "./contracts/catalog";

/** How a planned action is named wherever it is shown (the wizard's plan, the node report). */
export function actionTitle(a: PlannedAction): string {
  switch (a.kind) {
    case "write-file":
      return `${a.previous.exists ? "Change" : "Create"} ${a.path} (mode ${a.mode})`;
    case "run-command":
      return `Run ${a.argv.join(" ")}`;
    case "enable-unit":
      return `Enable ${a.unit}`;
    case "upload-artifact":
      return `Install ${a.artifactId}`;
  }
}

/**
 * The text of a plan's "Copy all" button: every action's seed-style script, in order, one after the
 * other. It runs as is in `bash -e` on the host (test/integration/copy-plan.int.test.ts does so).
 */
export function copyAllText(actions: PlannedAction[]): string {
  return actions.map((a) => a.script).join("\n");
}
