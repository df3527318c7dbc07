// Our server (src/server.ts) for the ingestion benchmark, configured from the environment like
// production (DATABASE_URL, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL at a fake Slack).
// Prints BENCH_READY {port} when it takes requests; on SIGTERM stops cleanly and prints its result.
import { openApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { startServer } from "../../src/server.ts";
import { emitReady, emitResult } from "../lib/child.ts";

async function main(): Promise<void> {
  const app = await openApp(loadConfig({ ...process.env, PORT: "0", HOST: "127.0.0.1" }));
  const server = await startServer(app, { port: 0, host: "127.0.0.1", scheduler: false });
  if (!server.platforms.some((p) => p.name === "slack")) throw new Error("the Slack platform did not start");
  let stopping = false;
  process.on("SIGTERM", () => {
    if (stopping) return;
    stopping = true;
    server
      .stop()
      .then(() => emitResult({}))
      .catch((err: unknown) => {
        console.error(err);
        process.exitCode = 1;
      });
  });
  // Start-up work (the member sync from users.list, the inbox replay) finishes first, as on a server
  // that has been running: the benchmark measures steady-state ingestion, not a cold start.
  if (!(await server.background.drain(120_000))) throw new Error("start-up work did not finish");
  emitReady({ port: server.port });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
