// The lab's API for tests, benchmarks and the demo.
export { dropBases, findBase, saveBase, type LabBase } from "./bases";
export { ensureImage, findImage, type LabImage } from "./image";
export { DEFAULT_SHAPE, SHAPE_NAMES, SHAPES, shapeOf, type Shape, type ShapeName } from "./shapes";
export {
  execOn,
  pauseNode,
  rebootNode,
  regenerateHostKeys,
  resetNode,
  resumeNode,
  startNode,
  stopAll,
  stopNode,
  type LabProgress,
} from "./nodes";
export { chooseAccel, NODE_MEMORY_MB } from "./vm";
export { getNode, imageHostKeys, listNodes, LAB_SUDO_PASSWORD_USER, LAB_USER, type PracticeNode } from "./state";
