import "server-only";
import { utils } from "ssh2";

/** An ed25519 key pair in OpenSSH format (the dashboard's own identity, as Cockpit and Rancher offer). */
export function generateDashboardKeyPair(comment: string): { privateKey: string; publicKey: string } {
  const pair = utils.generateKeyPairSync("ed25519", { comment });
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}
