import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { openApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Clock } from "../../src/core/ports.ts";
import { startScheduler } from "../../src/scheduler/index.ts";
import { startServer } from "../../src/server.ts";

// Test entry for one bot replica (run as its own process by test/helpers/replicas.ts): the real
// composition — openApp + startServer with the Slack platform pointed at a fake Slack — plus the
// scheduler. Two things differ from `take-it-offline serve`, both only here:
//
// - Time: the app's clock reads TIO_FAKE_NOW_FILE on every now(), so the test moves time for all
//   replicas at once by rewriting one file. Production code only ever sees the Clock interface.
// - Firing: node-cron's timers follow the real clock, which the test can't move, so they are off;
//   a control port (127.0.0.1, separate from the app's port) exposes POST /run-due, which is the
//   same claim → run → record path the timers use (Scheduler.runDue). The test fires all
//   replicas at the same fake instant so they genuinely race for each slot.
//
// Prints `READY {"port":…,"control":…}` on stdout once both ports listen.

const nowFile = process.env.TIO_FAKE_NOW_FILE;
if (!nowFile) throw new Error("TIO_FAKE_NOW_FILE is required");
const fileClock: Clock = {
  now() {
    const at = new Date(readFileSync(nowFile, "utf8").trim());
    if (Number.isNaN(at.getTime())) throw new Error(`bad time in ${nowFile}`);
    return at;
  },
};

const app = await openApp(loadConfig(process.env), { clock: fileClock, migrate: false });
const server = await startServer(app, { port: 0, host: "127.0.0.1", scheduler: false });
const scheduler = await startScheduler(app, server.chatFor, {
  timers: false,
  catchUp: process.env.TIO_CATCH_UP === "1",
});

const control = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.method === "POST" && url.pathname === "/run-due") {
    const jobs = url.searchParams.get("jobs")?.split(",").filter(Boolean);
    scheduler.runDue(jobs).then(
      (reports) => reply(200, { instanceId: app.instanceId, reports }),
      (err: unknown) => reply(500, { error: String(err) }),
    );
    return;
  }
  if (req.method === "GET" && url.pathname === "/ready") {
    scheduler.ready.then(() => reply(200, { instanceId: app.instanceId }));
    return;
  }
  reply(404, { error: "not found" });
});
await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));

let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  control.close();
  scheduler
    .stop()
    .then(() => server.stop())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
});

process.stdout.write(
  `READY ${JSON.stringify({ port: server.port, control: (control.address() as AddressInfo).port })}\n`,
);
