import "server-only";
import type { PracticeNode } from "@/lab/state";
import type { NodeTarget } from "../ssh/types";
import { pinnedKeyOf } from "./sync";

/**
 * A running practice node as the SSH layer reaches it without the inventory (tests, benchmarks): its
 * key-auth user with passwordless sudo, pinned to the node's own host key (each node has its own).
 */
export function practiceTarget(node: PracticeNode, over: Partial<NodeTarget> & { nodeId: string }): NodeTarget {
  return {
    name: node.name,
    address: node.host,
    port: node.port,
    username: node.user,
    auth: { kind: "key", privateKey: node.privateKey },
    privilege: { kind: "sudo-nopasswd" },
    hostKey: pinnedKeyOf(node.hostKeys),
    ...over,
  };
}
