// Our server for the ingestion benchmark, run the way `take-it-offline serve` runs it: the compiled
// build (dist/, see scripts/build.mjs) in plain Node, without the TypeScript loader (which alone
// adds some 35 MB to a process). Configured from the environment like production (DATABASE_URL,
// SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN or OAuth, SLACK_API_URL at a fake Slack). Prints BENCH_READY {port}
// when it takes requests; on SIGTERM stops cleanly and prints its result (bench/lib/child.ts).
import { pathToFileURL } from "node:url";

// BENCH_SERVER_DIST: another build's dist/ (BENCH_BASELINE_DIST in the suite), to compare two
// versions of the server in the same minutes.
const dist = process.env.BENCH_SERVER_DIST
  ? pathToFileURL(`${process.env.BENCH_SERVER_DIST}/`)
  : new URL("../../dist/", import.meta.url);
const { openApp } = await import(new URL("app.js", dist).href);
const { loadConfig, decodeKey } = await import(new URL("config.js", dist).href);
const { startServer } = await import(new URL("server.js", dist).href);

/**
 * BENCH_INSTALL_TEAM / BENCH_INSTALL_TOKEN / BENCH_INSTALL_BOT_USER, with OAuth configured: the
 * team's installation is stored (sealed) as the OAuth flow would store it, so that every event is
 * authorized from the database as in a hosted, multi-workspace deployment.
 */
async function installTeam(app) {
  const teamId = process.env.BENCH_INSTALL_TEAM;
  if (!teamId) return;
  const key = decodeKey(process.env.TOKEN_ENCRYPTION_KEY ?? "");
  if (!key) throw new Error("BENCH_INSTALL_TEAM needs TOKEN_ENCRYPTION_KEY");
  const installation = {
    team: { id: teamId, name: "Bench" },
    enterprise: undefined,
    user: { id: "UBENCHINSTALLER", token: undefined, scopes: undefined },
    bot: {
      token: process.env.BENCH_INSTALL_TOKEN,
      userId: process.env.BENCH_INSTALL_BOT_USER,
      id: "BBENCH",
      scopes: ["chat:write", "channels:history", "users:read"],
    },
    isEnterpriseInstall: false,
    tokenType: "bot",
  };
  await app.service.installations(app.sealer(key)).save({
    platform: "slack",
    externalId: teamId,
    name: "Bench",
    teamId,
    enterpriseId: null,
    isEnterpriseInstall: false,
    botUserId: installation.bot.userId ?? null,
    data: JSON.stringify(installation),
  });
}

async function main() {
  const app = await openApp(loadConfig({ ...process.env, PORT: "0", HOST: "127.0.0.1" }));
  await installTeam(app);
  // BENCH_SKIP_TRACKING=1 (the suite's control, BENCH_INGESTION_CONTROL): the tracking proper
  // (detection, contacts, mentions, met-in-chat) does nothing; everything before it still runs (the
  // edge, Bolt, the inbox's INSERT before the ack, the message's parse and author, the done mark).
  // What ingestion costs without it tells how much of the budget is left for the tracking.
  if (process.env.BENCH_SKIP_TRACKING === "1")
    app.service.trackMessage = async () => ({ contactIds: [], added: 0, removed: 0 });
  const server = await startServer(app, { port: 0, host: "127.0.0.1", scheduler: false });
  if (!server.platforms.some((p) => p.name === "slack")) throw new Error("the Slack platform did not start");
  let stopping = false;
  process.on("SIGTERM", () => {
    if (stopping) return;
    stopping = true;
    server
      .stop()
      .then(() => {
        const peakRssMb = process.resourceUsage().maxRSS / 1024;
        process.stdout.write(`BENCH_RESULT ${JSON.stringify({ peakRssMb })}\n`);
      })
      .catch((err) => {
        console.error(err);
        process.exitCode = 1;
      });
  });
  // Start-up work (the member sync from users.list, the inbox replay) finishes first, as on a server
  // that has been running: the benchmark measures steady-state ingestion, not a cold start.
  if (!(await server.background.drain(120_000))) throw new Error("start-up work did not finish");
  process.stdout.write(`BENCH_READY ${JSON.stringify({ port: server.port })}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
