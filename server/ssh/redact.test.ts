import { describe, expect, it } from "vitest";
import { redact, REDACTED, redactor } from "./redact";

const KEY = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACB2abG4OluEPPJsAaHqiZ7wOF6mTUu1wO5o4z2kL3kJigAAAJC2l2Mutpdj
-----END OPENSSH PRIVATE KEY-----
`;

describe("redact", () => {
  it("removes every occurrence of a password", () => {
    expect(redact("echo hunter2 | sudo -S true; hunter2!", ["hunter2"])).toBe(`echo ${REDACTED} | sudo -S true; ${REDACTED}!`);
  });

  it("treats secrets literally, not as patterns", () => {
    expect(redact("pw is a.b*c(d", ["a.b*c(d"])).toBe(`pw is ${REDACTED}`);
    expect(redact("axbyczd", ["a.b*c(d"])).toBe("axbyczd");
  });

  it("removes the longest secret whole when secrets overlap", () => {
    expect(redact("secret-and-more", ["secret", "secret-and-more"])).toBe(REDACTED);
  });

  it("removes private key blocks, known or not, and stray lines of a known key", () => {
    expect(redact(`before\n${KEY}after`, [])).toBe(`before\n${REDACTED}\nafter`);
    const line = KEY.split("\n")[2];
    expect(redact(`partial: ${line}`, [KEY])).toBe(`partial: ${REDACTED}`);
  });

  it("ignores empty and missing secrets and leaves clean text alone", () => {
    expect(redact("nothing to see", [undefined, null, ""])).toBe("nothing to see");
    expect(redactor(["s3cr3t-pass"])("ok")).toBe("ok");
  });

  it("does not redact tiny values that would hide ordinary words", () => {
    expect(redact("a b c", ["a"])).toBe("a b c");
  });
});
