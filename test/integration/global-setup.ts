// Build (or reuse) the practice-node image before any integration test, and leave no VM behind.
export default async function setup() {
  process.env.NODEPREP_LAB_STATE = "/tmp/nodeprep-it-lab";
  const { ensureImage, stopAll } = await import("../../lab");
  await stopAll(); // a previous run that was killed may have left nodes
  await ensureImage();
  return async () => {
    await stopAll();
  };
}
