import "server-only";
import { clientAddressOf, isAllowedHost, requestHost, requestProto, trustSettings, type TrustSettings } from "@/lib/request-trust";
import { config } from "../config";
import { AppError } from "../errors";

// The request-trust rules (lib/request-trust.ts) with this process's settings, for route() and the
// session cookie. proxy.ts applies the same rules to every page.

let cached: TrustSettings | undefined;
export function settings(): TrustSettings {
  config(); // validates the environment first (a malformed NODEPREP_PUBLIC_URL stops the start)
  return (cached ??= trustSettings(process.env));
}

const urlOf = (req: Request) => new URL(req.url);

/** The Host the client asked for (a trusted proxy's X-Forwarded-Host counts). */
export const hostOf = (req: Request) => requestHost(req.headers, urlOf(req).host, settings());

/** 421 unless the request is addressed to the dashboard's own name (DNS rebinding). */
export function checkHost(req: Request): void {
  const host = hostOf(req);
  if (!isAllowedHost(host, settings(), protoOf(req))) {
    throw new AppError("wrong_host", `this dashboard does not answer to the host ${JSON.stringify(host ?? "")}: use its own address (or set NODEPREP_PUBLIC_URL / NODEPREP_ALLOWED_HOSTS)`);
  }
}

export const protoOf = (req: Request) => requestProto(req.headers, urlOf(req).protocol, settings());

/** Secure cookies when people reach us over https: the public URL says so, or the request (or a trusted TLS proxy in front) was https. */
export function isHttps(req: Request): boolean {
  return protoOf(req) === "https";
}

/** The client's address for the audit log and sign-in throttling (null: unknown). */
export const clientAddress = (req: Request) => clientAddressOf(req.headers, settings());
