import "server-only";
import path from "node:path";
import type { PracticeNode } from "@/lab/state";
import type { NodeTarget } from "../ssh/types";
import { practiceHostKey } from "./sync";

/**
 * A running practice node as the SSH layer reaches it without the inventory (tests, benchmarks): its
 * key-auth user with passwordless sudo, pinned to the image's host key.
 */
export function practiceTarget(node: PracticeNode, over: Partial<NodeTarget> & { nodeId: string }): NodeTarget {
  return {
    name: node.name,
    address: node.host,
    port: node.port,
    username: node.user,
    auth: { kind: "key", privateKey: node.privateKey },
    privilege: { kind: "sudo-nopasswd" },
    hostKey: practiceHostKey(path.dirname(node.privateKeyPath)),
    ...over,
  };
}
