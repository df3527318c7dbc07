// The HTTP load driver, in its own process so it never competes with the server's event loop.
//   node --import tsx bench/children/load-driver.ts --url URL --events FILE --from N --count N
//        --secret S (--connections C | --rate R)
// --connections: closed loop, C requests in flight at all times (maximum throughput).
// --rate: open loop at R requests/s regardless of answers; latency is measured from each
//   request's scheduled time, so a stalled server can't hide its queueing (coordinated omission).
// Every request is signed at send time. Prints BENCH_RESULT with status counts and latencies.
import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { emitResult } from "../lib/child.ts";
import { quantile } from "../lib/stats.ts";
import { type LoadEvent, readEvents, resign } from "../load/events.ts";

interface Outcome {
  status: number;
  latencyMs: number;
}

/** Slack delivers an event again (x-slack-retry-num) when it didn't get a 200; so does the driver. */
const RETRIES = 3;
const RETRY_DELAY_MS = 200;
let retried = 0;
let firstAttemptFailures = 0;

async function send(agent: Agent, url: URL, e: LoadEvent, secret: string): Promise<number> {
  let status = await attempt(agent, url, e, secret, 0);
  if (status !== 200) firstAttemptFailures++;
  for (let n = 1; n <= RETRIES && status !== 200; n++) {
    retried++;
    await new Promise((r) => setTimeout(r, RETRY_DELAY_MS * n));
    status = await attempt(agent, url, e, secret, n);
  }
  return status;
}

function attempt(agent: Agent, url: URL, e: LoadEvent, secret: string, retryNum: number): Promise<number> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = {
      ...resign(e, secret),
      "content-length": Buffer.byteLength(e.body),
    };
    if (retryNum > 0) {
      headers["x-slack-retry-num"] = retryNum;
      headers["x-slack-retry-reason"] = "http_error";
    }
    const req = request(url, { method: "POST", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.on("error", () => resolve(0));
    req.end(e.body);
  });
}

async function closedLoop(agent: Agent, url: URL, events: LoadEvent[], secret: string, connections: number) {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const e = events[next++] as LoadEvent;
      const t = performance.now();
      const status = await send(agent, url, e, secret);
      outcomes.push({ status, latencyMs: performance.now() - t });
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return outcomes;
}

async function openLoop(agent: Agent, url: URL, events: LoadEvent[], secret: string, rate: number) {
  const outcomes: Promise<Outcome>[] = [];
  const t0 = performance.now();
  const interval = 1000 / rate;
  for (let i = 0; i < events.length; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const e = events[i] as LoadEvent;
    outcomes.push(
      send(agent, url, e, secret).then((status) => ({ status, latencyMs: performance.now() - due })),
    );
  }
  return Promise.all(outcomes);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      events: { type: "string" },
      from: { type: "string", default: "0" },
      count: { type: "string" },
      secret: { type: "string" },
      connections: { type: "string" },
      rate: { type: "string" },
    },
  });
  if (!values.url || !values.events || !values.count || !values.secret)
    throw new Error(
      "usage: load-driver.ts --url URL --events FILE --from N --count N --secret S (--connections C | --rate R)",
    );
  const events = await readEvents(values.events, Number(values.from), Number(values.count));
  const connections = Number(values.connections ?? 0);
  const rate = Number(values.rate ?? 0);
  const agent = new Agent({ keepAlive: true, maxSockets: connections > 0 ? connections : 256 });
  const url = new URL(values.url);
  // One request first so connection set-up isn't timed as server work.
  const startedAt = Date.now();
  const t = performance.now();
  const cpu = process.cpuUsage();
  const outcomes =
    connections > 0
      ? await closedLoop(agent, url, events, values.secret, connections)
      : await openLoop(agent, url, events, values.secret, rate);
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  const statuses: Record<string, number> = {};
  for (const o of outcomes) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
  const lat = outcomes.map((o) => o.latencyMs).sort((a, b) => a - b);
  emitResult({
    sent: outcomes.length,
    ok: outcomes.filter((o) => o.status === 200).length,
    statuses,
    firstAttemptFailures,
    retried,
    startedAt,
    finishedAt: startedAt + seconds * 1000,
    seconds,
    acksPerSecond: outcomes.length / seconds,
    // The driver's own CPU: near one core (1000 ms per second) means it, not the server, is the limit.
    cpuMsPerRequest: (used.user + used.system) / 1000 / outcomes.length,
    cpuShare: (used.user + used.system) / 1e6 / seconds,
    latencyMs: {
      p50: quantile(lat, 0.5),
      p90: quantile(lat, 0.9),
      p99: quantile(lat, 0.99),
      max: lat[lat.length - 1] ?? Number.NaN,
    },
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
