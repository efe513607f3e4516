import "server-only";
import type { DashboardKey } from "@/lib/contracts/nodes";
import type { Db } from "../db";
import { openSecret, sealSecret } from "../secrets";
import { describePinned, generateDashboardKeyPair, parsePublicKeyLine } from "../ssh";

// The dashboard's own SSH identity (as Cockpit and Rancher offer): generated once, its private half
// sealed in the database, its public half shown for the hosts' authorized_keys.
const CONTEXT = "dashboard-key:private";

function ensure(db: Db): { public_key: string; private_key: string } {
  const row = db.prepare("SELECT public_key, private_key FROM dashboard_keys WHERE id = 1").get() as { public_key: string; private_key: string } | undefined;
  if (row) return row;
  const pair = generateDashboardKeyPair("nodeprep-dashboard");
  // INSERT OR IGNORE: two first requests at once agree on one key.
  db.prepare("INSERT OR IGNORE INTO dashboard_keys (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?)").run(
    pair.publicKey,
    sealSecret(pair.privateKey, CONTEXT),
    new Date().toISOString(),
  );
  return db.prepare("SELECT public_key, private_key FROM dashboard_keys WHERE id = 1").get() as { public_key: string; private_key: string };
}

export function dashboardPublicKey(db: Db): DashboardKey {
  const { public_key } = ensure(db);
  const d = describePinned(parsePublicKeyLine(public_key));
  return { publicKey: public_key, fingerprint: d.fingerprint, keygen: d.keygen.replace("no comment", "nodeprep-dashboard") };
}

export function dashboardPrivateKey(db: Db): string {
  return openSecret(ensure(db).private_key, CONTEXT);
}
