// The baseline for the ingestion benchmark: a bare Bolt app whose `message` listener does nothing
// (Bolt acknowledges events itself), on Bolt's own HTTP receiver with signature checks, exactly
// as any Bolt app starts. Same signing secret, token and fake Slack as our server.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel } from "@slack/bolt";
import { emitReady, emitResult } from "../lib/child.ts";

async function main(): Promise<void> {
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
  const server = (await app.start(0)) as Server;
  process.on("SIGTERM", () => {
    app
      .stop()
      .then(() => emitResult({ received }))
      .catch((err: unknown) => {
        console.error(err);
        process.exitCode = 1;
      });
  });
  emitReady({ port: (server.address() as AddressInfo).port });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
