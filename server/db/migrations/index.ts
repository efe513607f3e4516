import "server-only";
import { m0001Core } from "./0001-core";

/** Ordered, append-only. A schema change is a new entry; an applied migration is never edited. */
export const migrations: { id: string; sql: string }[] = [m0001Core];
