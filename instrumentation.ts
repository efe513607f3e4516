// Next.js calls register() once when the server starts: open the database (running migrations)
// and do the start-up chores before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startup } = await import("./server/startup");
    await startup();
  }
}
