// Build (or reuse) the practice-node image before any integration test, and leave no VM behind.
export default async function setup() {
  const { ensureImage, stopAll } = await import("../../lab");
  await ensureImage();
  return async () => {
    await stopAll();
  };
}
