import { describe, expect, it } from "vitest";
import { clientAddressOf, isAllowedHost, requestHost, requestProto, trustSettings } from "./request-trust";

const h = (o: Record<string, string>) => new Headers(o);

describe("which Host the dashboard answers to", () => {
  it("its own address and port, and the loopback names when it listens on loopback", () => {
    const s = trustSettings({ PORT: "3000" });
    for (const ok of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "LOCALHOST:3000"]) expect(isAllowedHost(ok, s), ok).toBe(true);
    // DNS rebinding: the attacker's own name pointing at 127.0.0.1.
    for (const bad of ["evil.example:3000", "evil.example", "127.0.0.1:3001", "127.0.0.1", "localhost.evil.example:3000", ""]) expect(isAllowedHost(bad, s), bad).toBe(false);
    expect(isAllowedHost(null, s)).toBe(false);
  });

  it("the public URL's host (port from its scheme), and extra names when configured", () => {
    const s = trustSettings({ NODEPREP_PUBLIC_URL: "https://prep.example.org", NODEPREP_ALLOWED_HOSTS: "prep.lan, 10.1.2.3" });
    expect(isAllowedHost("prep.example.org", s, "https")).toBe(true);
    expect(isAllowedHost("prep.example.org:443", s)).toBe(true);
    expect(isAllowedHost("prep.lan:3000", s)).toBe(true);
    expect(isAllowedHost("10.1.2.3:3000", s)).toBe(true);
    expect(isAllowedHost("prep.example.org.evil.example", s, "https")).toBe(false);
  });

  it("listening on every interface: IP literals on its port, never another name", () => {
    const s = trustSettings({ NODEPREP_HOST: "0.0.0.0", PORT: "8080" });
    expect(isAllowedHost("192.168.1.20:8080", s)).toBe(true);
    expect(isAllowedHost("[fe80::1]:8080", s)).toBe(true);
    expect(isAllowedHost("192.168.1.20:9999", s)).toBe(false);
    expect(isAllowedHost("rebind.evil.example:8080", s)).toBe(false);
  });
});

describe("X-Forwarded-* only from a trusted proxy", () => {
  const forged = h({ host: "127.0.0.1:3000", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", "x-forwarded-for": "6.6.6.6", "x-nodeprep-peer": "10.0.0.9" });

  it("without NODEPREP_TRUST_PROXY they mean nothing", () => {
    const s = trustSettings({ NODEPREP_FRONT_DOOR: "1" });
    expect(requestHost(forged, null, s)).toBe("127.0.0.1:3000");
    expect(requestProto(forged, "http:", s)).toBe("http");
    expect(clientAddressOf(forged, s)).toBe("10.0.0.9"); // the peer our own server saw
  });

  it("with it, the proxy's forwarded host and proto count, and the address it added (the last)", () => {
    const s = trustSettings({ NODEPREP_TRUST_PROXY: "1", NODEPREP_ALLOWED_HOSTS: "prep.example.org" });
    const viaProxy = h({ host: "127.0.0.1:3000", "x-forwarded-host": "prep.example.org:3000", "x-forwarded-proto": "https", "x-forwarded-for": "1.1.1.1, 203.0.113.7" });
    expect(requestHost(viaProxy, null, s)).toBe("prep.example.org:3000");
    expect(requestProto(viaProxy, "http:", s)).toBe("https");
    expect(clientAddressOf(viaProxy, s)).toBe("203.0.113.7");
  });

  it("without our own server in front (next dev) the client's address is unknown, whatever it claims", () => {
    expect(clientAddressOf(forged, trustSettings({}))).toBeNull();
  });
});
