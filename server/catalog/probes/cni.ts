import "server-only";
import { z } from "zod";
import type { ProbeCheck } from "@/lib/contracts/catalog";
import { parseCniList } from "../parsers/runtime";
import { dirNames } from "../inputs";
import type { Probe, Verdict } from "../types";
import { CNI_DIR, REQUIRED_CNI_PLUGINS } from "./runtime-paths";
import { noAnswer } from "./verdicts";

export const CniPluginsData = z.object({
  /** The names in /opt/cni/bin, sorted; null: the directory does not exist. */
  plugins: z.array(z.string()).nullable(),
  /** Which of REQUIRED_CNI_PLUGINS are not there. */
  missing: z.array(z.string()),
});
export type CniPluginsData = z.infer<typeof CniPluginsData>;

export const cniPluginsProbe: Probe<CniPluginsData> = {
  id: "cni-plugins",
  title: "CNI plugins",
  fixStepId: "cni-plugins",
  data: CniPluginsData,
  commands: [{ key: "ls", command: `ls ${CNI_DIR}`, inputs: dirNames(CNI_DIR) }],
  parse(outputs): Verdict<CniPluginsData> {
    const expected = `${REQUIRED_CNI_PLUGINS.join(", ")} in ${CNI_DIR}`;
    const out = outputs.ls;
    if (!out) return noAnswer(expected);
    const list = parseCniList(out.output, out.exitCode);
    if (list === null) {
      return {
        status: "fail",
        observed: `${CNI_DIR} does not exist`,
        expected,
        detail: "No CNI plugins: pods cannot get a network.",
        checks: [],
        data: { plugins: null, missing: [...REQUIRED_CNI_PLUGINS] },
      };
    }
    const checks: ProbeCheck[] = REQUIRED_CNI_PLUGINS.map((name) => ({
      name,
      status: list.includes(name) ? "ok" : "fail",
      observed: list.includes(name) ? "present" : "missing",
      expected: "present",
    }));
    const missing = checks.filter((c) => c.status !== "ok").map((c) => c.name);
    return {
      status: missing.length ? "fail" : "ok",
      observed: list.length ? `${list.length} plugins: ${list.join(", ")}` : `${CNI_DIR} is empty`,
      expected,
      detail: missing.length ? `Missing: ${missing.join(", ")}.` : `All of ${REQUIRED_CNI_PLUGINS.join(", ")} are there.`,
      checks,
      data: { plugins: list, missing },
    };
  },
};
