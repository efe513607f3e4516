import "server-only";
import { z } from "zod";
import type { ProbeData, ProbeResult } from "@/lib/contracts/catalog";
import type { Observed, Probe } from "./types";

/**
 * A probe's findings as values, checked against the probe's own schema. null when there is no result
 * or it carries no data (the host did not answer). Plans, scenarios and the health view read this,
 * never a verdict's display text, so rewording a message cannot change what a plan does.
 */
export function dataOf<D extends ProbeData>(probe: Probe<D>, result: ProbeResult | undefined): D | null {
  if (!result || result.data === null) return null;
  if (result.probeId !== probe.id) throw new Error(`probe ${probe.id}'s data was read from a result of ${result.probeId}`);
  const parsed = probe.data.safeParse(result.data);
  if (!parsed.success) throw new Error(`probe ${probe.id}: its data does not have the probe's shape: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** dataOf for the result of this probe among a plan's observations. */
export const observedData = <D extends ProbeData>(observed: Observed, probe: Probe<D>): D | null => dataOf(probe, observed.probes[probe.id]);
