// A PostgreSQL restart in the middle of a stream of Slack events, on a private cluster (the shared
// server on 5432 is never stopped). Signed message events arrive at a steady rate; the database
// goes away for several seconds and comes back. Slack gets a 200 only for events the inbox stored;
// every one of those must end up processed (its mention in the database) once the database is
// back, within a bounded wait, and none may be counted twice.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type PrivateCluster,
  privateClusterUnavailable,
  startPrivateCluster,
} from "../helpers/adversarial-pg.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  eventEnvelope,
  newEventId,
  postToSlackApp,
  SIGNING_SECRET,
  type SlackHarness,
  slackTs,
  startSlackHarness,
  TEAM_ID,
} from "../helpers/slack-signing.ts";

const EVENTS = 200;
const EVERY_MS = 50;
const OUTAGE_AT_MS = 2_000;
const OUTAGE_MS = 6_000;
/** Events keep coming this long after the database is back. */
const TAIL_MS = 1_500;
const KILL_EVERY_MS = 200;
const KILL_FOR_MS = 6_000;
/** How long recovery may take once the database is back. */
const RECOVERY_MS = 20_000;

const unavailable = PROVIDERS.includes("postgresql")
  ? privateClusterUnavailable()
  : "PostgreSQL is not in TEST_DATABASES";
if (unavailable) console.warn(`[adversarial] pg-restart skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)("a PostgreSQL restart mid-stream", () => {
  let cluster: PrivateCluster;
  let h: SlackHarness;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    await cluster.createDatabase("tio_restart");
    h = await startSlackHarness("postgresql", { env: { DATABASE_URL: cluster.url("tio_restart") } });
    // The workspace, its members and the Slack Connect contact exist before the stream starts.
    await h.workspace();
    const warmup = await h.event(message(0));
    expect(warmup.status).toBe(200);
    await h.settle();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await cluster?.dispose();
  });

  function message(seq: number) {
    return {
      type: "message",
      channel: "C0SALES",
      channel_type: "channel",
      user: seq % 2 ? "UBO" : "UCY",
      text: `Notes from the call with <@UEXT>, part ${seq}`,
      ts: slackTs("2026-11-18T12:00:00Z", seq),
    };
  }
  const messageId = (seq: number) => `C0SALES:${slackTs("2026-11-18T12:00:00Z", seq)}`;

  /** One delivery: when it was sent (ms after the stream started) and Slack's answer (0: none). */
  interface Delivery {
    seq: number;
    at: number;
    status: number;
  }

  interface StreamOutcome {
    sent: number;
    /** Send times (ms after the start) of the acknowledged deliveries. */
    ackedAt: number[];
    acked: number[];
    refused: number[];
    lost: number;
    replayed: number;
    /** ms from the stream's start until the database was back (or the disruption ended). */
    recoveredAfterMs: number;
  }

  /**
   * Streams EVENTS signed message events (seq from `first`), one every EVERY_MS, none waiting for
   * the one before, while `disrupt` runs; then replays the inbox (what the minute timer does) until
   * every acknowledged event is processed or RECOVERY_MS pass.
   */
  async function streamThrough(first: number, disrupt: () => Promise<void>): Promise<StreamOutcome> {
    const started = Date.now();
    const ended = { at: 0 };
    const disruption = disrupt().then(() => {
      ended.at = Date.now();
      return ended.at;
    });
    const sends: Array<Promise<Delivery>> = [];
    // EVENTS at least, and on until TAIL_MS after the disruption (a slow restart on a busy machine
    // must still be followed by events that prove the app took them again).
    for (let seq = first; seq < first + 2 * EVENTS; seq++) {
      if (seq - first >= EVENTS && ended.at > 0 && Date.now() > ended.at + TAIL_MS) break;
      const due = started + (seq - first + 1) * EVERY_MS;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      const body = eventEnvelope(message(seq), { teamId: TEAM_ID, eventId: newEventId() });
      const at = Date.now() - started;
      sends.push(
        postToSlackApp(`${h.base}/slack/events`, SIGNING_SECRET, { kind: "json", body }, {})
          .then((r) => ({ seq, at, status: r.status }))
          .catch(() => ({ seq, at, status: 0 })),
      );
    }
    const results = await Promise.all(sends);
    const back = await disruption;
    const acked = results.filter((r) => r.status === 200).map((r) => r.seq);
    const refused = results.filter((r) => r.status !== 200).map((r) => r.seq);

    const db = h.app.database.db;
    const ids = acked.map(messageId);
    const deadline = Date.now() + RECOVERY_MS;
    let processed = 0;
    let replayed = 0;
    while (Date.now() < deadline) {
      await h.settle();
      replayed += await h.platform.replayPending(new Date(Date.now() + 60_000)).catch(() => 0);
      processed = await db.mention.count({ where: { messageId: { in: ids } } }).catch(() => processed);
      if (processed === acked.length) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    return {
      sent: results.length,
      ackedAt: results.filter((r) => r.status === 200).map((r) => r.at),
      acked,
      refused,
      lost: acked.length - processed,
      replayed,
      recoveredAfterMs: Date.now() - back,
    };
  }

  /** Each counted once: one mention per message, one inbox row per delivery, all done. */
  async function expectCountedOnce(): Promise<void> {
    const db = h.app.database.db;
    const perMessage = await db.mention.groupBy({ by: ["messageId"], _count: { _all: true } });
    expect(perMessage.every((m) => m._count._all === 1)).toBe(true);
    const inbox = await db.processedEvent.findMany({ select: { key: true, status: true } });
    expect(new Set(inbox.map((e) => e.key)).size).toBe(inbox.length);
    expect(inbox.filter((e) => e.status !== "done")).toEqual([]);
  }

  it(`loses none of ${EVENTS}+ streamed events acknowledged over a ${OUTAGE_MS / 1000} s outage, and counts each once`, async () => {
    let down = 0;
    let up = 0;
    const outcome = await streamThrough(1, async () => {
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, OUTAGE_AT_MS));
      await cluster.stop();
      down = Date.now() - t0;
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      await cluster.start();
      up = Date.now() - t0;
    });
    const { acked, refused, lost } = outcome;
    console.info(
      `[adversarial] pg-restart: ${lost} of ${acked.length} acknowledged events (of ${outcome.sent} sent) lost over a ${((up - down) / 1000).toFixed(1)} s outage (${refused.length} refused with 5xx for Slack to retry, ${outcome.replayed} replayed from the inbox); all processed ${(outcome.recoveredAfterMs / 1000).toFixed(1)} s after the restart`,
    );
    // The outage really happened, and the app took events before and after it.
    expect(refused.length).toBeGreaterThan(20);
    expect(outcome.ackedAt.filter((t) => t < down).length).toBeGreaterThan(10);
    expect(outcome.ackedAt.filter((t) => t > up).length).toBeGreaterThan(5);
    expect(lost).toBe(0);
    await expectCountedOnce();
  }, 60_000);

  it(`loses none of ${EVENTS} acknowledged events while every connection is killed every ${KILL_EVERY_MS} ms`, async () => {
    const admin = new pg.Client({ connectionString: cluster.url("postgres") });
    await admin.connect();
    let killed = 0;
    try {
      const outcome = await streamThrough(1_001, async () => {
        const until = Date.now() + KILL_FOR_MS;
        while (Date.now() < until) {
          const { rowCount } = await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'tio_restart' AND pid <> pg_backend_pid()",
          );
          killed += rowCount ?? 0;
          await new Promise((r) => setTimeout(r, KILL_EVERY_MS));
        }
      });
      console.info(
        `[adversarial] pg-terminate: ${outcome.lost} of ${outcome.acked.length} acknowledged events (of ${outcome.sent} sent) lost while ${killed} connections were killed over ${KILL_FOR_MS / 1000} s (${outcome.refused.length} refused with 5xx, ${outcome.replayed} replayed from the inbox)`,
      );
      expect(killed).toBeGreaterThan(10);
      expect(outcome.acked.length).toBeGreaterThan(EVENTS / 4);
      expect(outcome.lost).toBe(0);
      await expectCountedOnce();
    } finally {
      await admin.end();
    }
  }, 60_000);
});
