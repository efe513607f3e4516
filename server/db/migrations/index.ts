import "server-only";
import { m0001Core } from "./0001-core";
import { m0002Audit } from "./0002-audit";
import { m0010NodeAccess } from "./0010-node-access";
import { m0020Runs } from "./0020-runs";
import { m0030Auth } from "./0030-auth";
import { m0050Health } from "./0050-health";
import { m0060JumpHost } from "./0060-jump-host";
import { m0070AuditScripts } from "./0070-audit-scripts";
import { m0071CommandsInFlight } from "./0071-commands-in-flight";
import { m0100TrainingRoles } from "./0100-training-roles";
import { m0101Training } from "./0101-training";
import { m0120Groups } from "./0120-groups";
import { m0150RollingRuns } from "./0150-rolling-runs";
import { m0151RolloutWaits } from "./0151-rollout-waits";
import { m0160Terminals } from "./0160-terminals";

/** Ordered, append-only. A schema change is a new entry; an applied migration is never edited. */
export const migrations: { id: string; sql: string }[] = [
  m0001Core,
  m0002Audit,
  m0010NodeAccess,
  m0020Runs,
  m0030Auth,
  m0050Health,
  m0060JumpHost,
  m0070AuditScripts,
  m0071CommandsInFlight,
  m0100TrainingRoles,
  m0101Training,
  m0120Groups,
  m0150RollingRuns,
  m0151RolloutWaits,
  m0160Terminals,
];
