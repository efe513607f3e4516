// Where the lab keeps its images and running nodes: outside the checkout, so repeated runs on one
// machine reuse a built image and a fresh machine rebuilds it. Tests point NODEPREP_LAB_STATE at a
// directory of their own so their nodes never mix with a demo's, while sharing the image cache.
import os from "node:os";
import path from "node:path";

const cacheRoot = () => path.join(os.homedir(), ".cache", "nodeprep", "lab");

export const imagesDir = () => process.env.NODEPREP_LAB_CACHE ?? path.join(cacheRoot(), "images");
export const nodesDir = () => process.env.NODEPREP_LAB_STATE ?? path.join(cacheRoot(), "nodes");
export const nodeDir = (n: number) => path.join(nodesDir(), String(n));
