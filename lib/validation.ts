import { z } from "zod";

// Validators for everything that may end up near a shell on a host or in a log: names, addresses,
// users, versions. Allow-lists, not deny-lists, and every string has a bound. Reuse these in route
// bodies (`z.object({ address: hostAddress, ... })`) so a 400 names the field and says what is allowed.

/** Letters, digits, space and ordinary punctuation: no control characters (newlines, ESC, NUL). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Free text meant for people (descriptions, notes): bounded, single-line, no control characters. */
export const safeText = (max = 200) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), "must not contain control characters such as newlines");

/** A node's display name: also used in file names and URLs. */
export const nodeName = z
  .string()
  .min(1, "must not be empty")
  .max(63, "at most 63 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "may contain only letters, digits, '.', '-' and '_', starting with a letter or digit");

const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const ipv4 = z.ipv4();
const ipv6 = z.ipv6();

export function isHostname(s: string): boolean {
  // A name made only of digits and dots is a (broken) IPv4 address, not a host name.
  return HOSTNAME.test(s) && !/^[0-9.]+$/.test(s);
}
export const isIPv4 = (s: string) => ipv4.safeParse(s).success;
export const isIPv6 = (s: string) => ipv6.safeParse(s).success;

/** A host to reach over SSH: a DNS name, an IPv4 address or an IPv6 address (without brackets). */
export const hostAddress = z
  .string()
  .min(1, "must not be empty")
  .max(253, "at most 253 characters")
  .refine((s) => isHostname(s) || isIPv4(s) || isIPv6(s), "must be a host name, an IPv4 address or an IPv6 address");

export const port = z.number().int("must be a whole number").min(1, "must be 1-65535").max(65535, "must be 1-65535");

/** A login name on a Linux host (useradd's default rule, a little wider for '.'). */
export const unixUser = z
  .string()
  .min(1, "must not be empty")
  .max(32, "at most 32 characters")
  .regex(/^[a-z_][a-z0-9_.-]*$/, "must be a Linux user name: lowercase letters, digits, '_', '.', '-', starting with a letter or '_'");

/** A release version such as 1.7.22, v1.1.12 or 2.0.0-rc.1. */
export const version = z
  .string()
  .min(1, "must not be empty")
  .max(64, "at most 64 characters")
  .regex(/^v?[0-9]+(\.[0-9]+){0,3}([-+][0-9A-Za-z.-]+)?$/, "must be a version such as 1.7.22 or v1.1.12");

/** Stable kebab-case ids (steps, probes). */
export const kebabId = z
  .string()
  .min(1, "must not be empty")
  .max(64, "at most 64 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a kebab-case id");

/** Ids the server generates (randomUUID). */
export const uuid = z.uuid("must be an id");

/** A dashboard user's name. Lowercase so "Alice" and "alice" can never be two people. */
export const userName = z
  .string()
  .min(1, "must not be empty")
  .max(32, "at most 32 characters")
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "may contain only lowercase letters, digits, '.', '-' and '_'");

/** Has no control character (newline, NUL, ESC, ...): names and secrets go into logs, CSV and shells. */
export const hasNoControl = (s: string) => !CONTROL.test(s);
const NO_CONTROL = "must not contain control characters (newline, NUL, escape)";

/**
 * A secret nodeprep stores or sends (a password, a passphrase): any printable text, non-ASCII
 * included, never a control character. A newline in a sudo password once ran its second line as root.
 */
export const secretText = (what: string, max = 256) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(max, `at most ${max} characters`)
    .refine(hasNoControl, NO_CONTROL);

/** A new password: long enough to resist guessing; bounded so hashing stays cheap. */
export const newPassword = z.string().min(12, "at least 12 characters").max(256, "at most 256 characters").refine(hasNoControl, NO_CONTROL);

/** A password as typed at sign-in: never judged beyond its length and its characters. */
export const givenPassword = z.string().min(1, "must not be empty").max(256, "at most 256 characters").refine(hasNoControl, NO_CONTROL);

/** A name as typed at sign-in (it lands in the audit log's actor column and its CSV export). */
export const givenName = z.string().min(1, "must not be empty").max(64, "at most 64 characters").refine(hasNoControl, NO_CONTROL);

/** An http(s) URL (a mirror, a release file): never javascript:, file:, data: or ftp:. */
export const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
