// What of an HTTP request the dashboard may believe: which Host it answers to, and
// whether X-Forwarded-Host/-Proto/-For mean anything. Pure functions of the headers and the settings,
// so proxy.ts (every page and API request) and route() (every API handler) decide alike.
//
// - Host: only the dashboard's own names. A DNS-rebinding page (evil.example resolving to 127.0.0.1)
//   reaches the dashboard with `Host: evil.example:3000`: refused with 421, public routes included.
// - X-Forwarded-*: set by whoever sends the request. Honoured only with NODEPREP_TRUST_PROXY=1, when a
//   reverse proxy in front overwrites them; otherwise ignored.
// - The client's address: with a trusted proxy, the last X-Forwarded-For entry (the one the proxy
//   added); else the socket's peer, which scripts/start.mjs (the dashboard's own HTTP server) puts in
//   x-nodeprep-peer after removing any copy the client sent. Under `next dev` there is no such server:
//   the address is unknown (null).

export const PEER_HEADER = "x-nodeprep-peer";

export interface TrustSettings {
  /** Hosts (with port; lowercase) the dashboard answers to. */
  allowedHosts: string[];
  /** Listening on every interface (0.0.0.0 or ::): any IP literal on the right port is ours too. */
  wildcardPort: string | null;
  trustProxy: boolean;
  /** x-nodeprep-peer comes from the dashboard's own server (scripts/start.mjs), not from a client. */
  frontDoor: boolean;
  /** The public URL is https (a TLS proxy in front). */
  httpsPublic: boolean;
}

type Env = Record<string, string | undefined>;
type HeaderBag = Pick<Headers, "get">;

const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

/** "host:port", lowercase, IPv6 in brackets; `defaultPort` when none is given. */
function withPort(hostPort: string, defaultPort: string): string {
  const h = hostPort.trim().toLowerCase();
  if (h.startsWith("[")) return /\]:\d+$/.test(h) ? h : `${h}:${defaultPort}`; // [v6] or [v6]:port
  if (h.split(":").length === 2) return h; // name:port or v4:port
  if (h.includes(":")) return `[${h}]:${defaultPort}`; // a bare IPv6 address
  return `${h}:${defaultPort}`;
}

/** The settings, from the same environment the server reads (defaults as in server/config.ts). */
export function trustSettings(env: Env): TrustSettings {
  const host = (env.NODEPREP_HOST || "127.0.0.1").toLowerCase();
  const port = env.PORT || "3000";
  const allowed = new Set<string>([withPort(host, port)]);
  const loopback = host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (loopback) for (const l of LOOPBACK) allowed.add(`${l}:${port}`);
  let httpsPublic = false;
  if (env.NODEPREP_PUBLIC_URL) {
    try {
      const u = new URL(env.NODEPREP_PUBLIC_URL);
      httpsPublic = u.protocol === "https:";
      allowed.add(withPort(u.host, u.port || (httpsPublic ? "443" : "80")));
    } catch {
      // server/config.ts refuses a malformed URL at start.
    }
  }
  for (const extra of (env.NODEPREP_ALLOWED_HOSTS ?? "").split(",").filter((s) => s.trim())) allowed.add(withPort(extra, port));
  return {
    allowedHosts: [...allowed],
    wildcardPort: host === "0.0.0.0" || host === "::" || host === "[::]" ? port : null,
    trustProxy: env.NODEPREP_TRUST_PROXY === "1",
    frontDoor: env.NODEPREP_FRONT_DOOR === "1",
    httpsPublic,
  };
}

/** The host the client asked for: the trusted proxy's X-Forwarded-Host, else Host. */
export function requestHost(headers: HeaderBag, fallback: string | null, s: TrustSettings): string | null {
  const forwarded = s.trustProxy ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return (forwarded || headers.get("host") || fallback)?.toLowerCase() ?? null;
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/;

/** Is this Host one of the dashboard's own? (Without a port, http's 80 / https's 443 is meant.) */
export function isAllowedHost(host: string | null, s: TrustSettings, proto: "http" | "https" = "http"): boolean {
  if (!host) return false;
  const h = withPort(host, proto === "https" ? "443" : "80");
  if (s.allowedHosts.includes(h)) return true;
  if (s.wildcardPort) {
    const m = /^(.*):(\d+)$/.exec(h);
    // An IP literal cannot be a rebinding attack: that always comes with the attacker's own name.
    if (m && m[2] === s.wildcardPort && IP_LITERAL.test(m[1])) return true;
  }
  return false;
}

/** http or https, as the client sees it. */
export function requestProto(headers: HeaderBag, urlProtocol: string, s: TrustSettings): "http" | "https" {
  if (s.httpsPublic) return "https";
  if (s.trustProxy) {
    const p = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
    if (p === "https" || p === "http") return p;
  }
  return urlProtocol === "https:" ? "https" : "http";
}

/** The client's address for the audit log and sign-in throttling, or null when it cannot be known. */
export function clientAddressOf(headers: HeaderBag, s: TrustSettings): string | null {
  if (s.trustProxy) {
    const last = headers.get("x-forwarded-for")?.split(",").map((x) => x.trim()).filter(Boolean).at(-1);
    if (last) return last.slice(0, 64);
  }
  if (s.frontDoor) return headers.get(PEER_HEADER)?.trim().slice(0, 64) || null;
  return null;
}
