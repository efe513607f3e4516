import "server-only";

// The SSH layer's public face. Only server/ssh imports ssh2 (design.md convention 3).
export { closeAllConnections, closeConnection, configurePool, connectTarget, getRemoteHost, poolStats, retireConnection, type OnTunnel } from "./pool";
export { quote, command } from "./quote";
export { redact, redactor } from "./redact";
export { targetSecrets } from "./connection";
export { describeKey, describePinned, keygenLine, parsePublicKeyLine, sha256Fingerprint } from "./fingerprint";
export { hostPort, programNotFound } from "./errors";
export { generateDashboardKeyPair } from "./keygen";
export * from "./types";
