// The baseline for the ingestion benchmark: a bare Bolt app whose `message` listener does nothing
// (Bolt acknowledges events itself), on Bolt's own HTTP receiver with signature checks, exactly
// as any Bolt app starts: plain JavaScript in plain Node, like our server (children/server.mjs).
// Same signing secret, token and fake Slack as our server.
import bolt from "@slack/bolt";

const { App, LogLevel } = bolt;

async function main() {
  const signingSecret = process.env.SLACK_SIGNING_SECRET;
  const token = process.env.SLACK_BOT_TOKEN;
  if (!signingSecret || !token) throw new Error("SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are required");
  let received = 0;
  const app = new App({
    signingSecret,
    token,
    botId: "BBOT",
    botUserId: "UBOT",
    logLevel: LogLevel.ERROR,
    ...(process.env.SLACK_API_URL ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } } : {}),
  });
  app.message(async () => {
    received++;
  });
  const server = await app.start(0);
  process.on("SIGTERM", () => {
    app
      .stop()
      .then(() => {
        const peakRssMb = process.resourceUsage().maxRSS / 1024;
        process.stdout.write(`BENCH_RESULT ${JSON.stringify({ received, peakRssMb })}\n`);
      })
      .catch((err) => {
        console.error(err);
        process.exitCode = 1;
      });
  });
  process.stdout.write(`BENCH_READY ${JSON.stringify({ port: server.address().port })}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
