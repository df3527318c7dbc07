import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack, type FakeSlackCall } from "../../src/devtools/fake-slack.ts";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";
import {
  expectOneRunPerSlot,
  type RemoteRunReport,
  type Replica,
  SharedClock,
  startReplica,
} from "../helpers/replicas.ts";
import { type SeededWorkspace, seedWorkspace } from "../helpers/scheduler-seed.ts";

// Three bot processes (openApp + startServer with the real Slack adapter) share one database and
// one fake Slack. Time is a shared file; each step fires every replica's due slots at the same
// fake instant, so they race for every (task, fire time). Whatever the interleaving, each digest,
// nudge and follow-up must reach Slack exactly once — counted from the Web API calls the fake got.

// Timeouts are generous (120 s) because process start-up is CPU-bound and 2 cores are shared with
// the rest of the suite; alone, each provider takes ~5–15 s.
describe.each(PROVIDERS)("three replica processes on one %s database", (provider) => {
  let t: TestStore;
  let slack: FakeSlack;
  let clock: SharedClock;
  let replicas: Replica[] = [];
  let berlin: SeededWorkspace;
  let tonga: SeededWorkspace;
  let honolulu: SeededWorkspace;

  beforeAll(async () => {
    t = await createTestStore(provider);
    slack = await FakeSlack.start();
    clock = new SharedClock("2026-11-09T07:00:00Z");
    const mentionsAt = new Date("2026-11-05T12:00:00Z");
    berlin = await seedWorkspace(t.store, {
      externalId: "TBERLIN",
      timezone: "Europe/Berlin",
      digestDay: 1,
      digestHour: 9,
      memberIds: ["UB1", "UB2", "UB3"],
      mentionsAt,
      lunchAt: new Date("2026-11-10T11:00:00Z"), // organizer UB1; follow-up Wed 11 Nov 10:00 CET
    });
    tonga = await seedWorkspace(t.store, {
      externalId: "TTONGA",
      timezone: "Pacific/Tongatapu",
      digestDay: 1,
      digestHour: 9,
      memberIds: ["UT1"],
      mentionsAt,
    });
    honolulu = await seedWorkspace(t.store, {
      externalId: "THNL",
      timezone: "Pacific/Honolulu",
      digestDay: 5,
      digestHour: 17,
      memberIds: ["UH1"],
      mentionsAt,
    });
    replicas = await Promise.all(
      ["replica-1", "replica-2", "replica-3"].map((id) =>
        startReplica({ id, databaseUrl: t.url, clock, slackApiUrl: slack.url }),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await slack?.close();
    await t?.cleanup();
    clock?.dispose();
  });

  const digestPosts = () =>
    slack
      .callsTo("chat.postMessage")
      .filter((c) => (c.args.metadata as { event_type?: string } | undefined)?.event_type === "tio_digest");
  const digestKeys = (s: SeededWorkspace) =>
    digestPosts()
      .filter((c) => c.args.channel === s.ws.digestChannel)
      .map((c) =>
        String((c.args.metadata as { event_payload: { key: string } }).event_payload.key).replace(
          `${s.ws.id}:`,
          "",
        ),
      );
  const dmsTo = (userId: string): FakeSlackCall[] =>
    slack.callsTo("chat.postMessage").filter((c) => c.args.channel === `D${userId}`);

  it("fires digests, sweeps and follow-ups over two weeks: every Slack post happens exactly once", async () => {
    const steps: RemoteRunReport[][] = [];
    const step = async (iso: string) => {
      clock.set(iso);
      steps.push((await Promise.all(replicas.map((p) => p.runDue()))).flat());
    };

    await step("2026-11-09T07:55:00Z"); // Mon. Tonga (Mon 20:55) W46 due; Honolulu (Sun) W45 due; Berlin 08:55 not yet
    await step("2026-11-09T08:00:00Z"); // Berlin Mon 09:00 → W46
    await step("2026-11-09T08:04:00Z"); // same slot
    await step("2026-11-09T08:05:00Z"); // next slot, nothing new
    await step("2026-11-10T09:00:00Z"); // Tue 10:00 Berlin → nudges to UB2, UB3 (UB1 has a lunch planned with them)
    await step("2026-11-10T10:00:00Z");
    await step("2026-11-10T20:00:00Z"); // Tue 10:00 Honolulu → UH1
    await step("2026-11-10T21:00:00Z"); // Wed 10:00 Tonga → UT1
    await step("2026-11-11T09:00:00Z"); // Wed 10:00 Berlin → follow-up to UB1
    await step("2026-11-11T09:15:00Z");
    await step("2026-11-14T03:00:00Z"); // Fri 17:00 Honolulu → W46
    await step("2026-11-16T08:00:00Z"); // Mon → Berlin W47, Tonga W47
    await step("2026-11-16T08:05:00Z");

    expect(digestKeys(berlin)).toEqual(["2026-W45", "2026-W46"]);
    expect(digestKeys(tonga)).toEqual(["2026-W45", "2026-W46"]);
    expect(digestKeys(honolulu)).toEqual(["2026-W44", "2026-W45"]);
    expect(digestPosts()).toHaveLength(6);

    for (const uid of ["UB2", "UB3", "UT1", "UH1"]) {
      const dms = dmsTo(uid);
      expect(dms, uid).toHaveLength(1);
      // A lunch prompt about the workspace's contact (the exact wording belongs to the Slack renderer).
      expect(String(dms[0]?.args.text), uid).toMatch(/Jane of T\w+/);
      expect(String(dms[0]?.args.text), uid).not.toMatch(/happen\?/);
    }
    const organizer = dmsTo("UB1");
    expect(organizer).toHaveLength(1);
    expect(String(organizer[0]?.args.text)).toMatch(/lunch with Jane of TBERLIN happen\?/);
    expect(slack.callsTo("chat.postMessage")).toHaveLength(6 + 5);

    // The database agrees: one posted digest per week, one sent nudge per member.
    const digests = await t.database.db.digest.findMany({
      orderBy: [{ workspaceId: "asc" }, { week: "asc" }],
    });
    expect(digests).toHaveLength(6);
    expect(digests.every((d) => d.status === "posted" && d.messageRef?.startsWith(`${d.channel}:`))).toBe(
      true,
    );
    const nudges = await t.database.db.nudge.findMany({});
    expect(nudges.map((n) => n.status)).toEqual(["sent", "sent", "sent", "sent"]);

    // Each (task, fire time) ran on exactly one replica, once; everyone else was told it was taken
    // (several steps can fall in one slot: the daily housekeeping, two steps in one 5 minutes).
    const slots = new Map<string, RemoteRunReport[]>();
    for (const [i, reports] of steps.entries()) {
      const perSlot = new Map<string, RemoteRunReport[]>();
      for (const r of reports)
        perSlot.set(`${r.task}@${r.fireTime}`, [...(perSlot.get(`${r.task}@${r.fireTime}`) ?? []), r]);
      for (const [slot, runs] of perSlot) {
        expect(runs, `step ${i} ${slot}`).toHaveLength(3);
        slots.set(slot, [...(slots.get(slot) ?? []), ...runs]);
      }
    }
    expectOneRunPerSlot(slots);
    const rows = await t.database.db.jobRun.findMany({});
    expect(rows).toHaveLength(slots.size);
    expect(rows.every((r) => r.outcome === "ok" && r.finishedAt !== null)).toBe(true);
    const winners = new Set(rows.map((r) => r.claimedBy));
    expect([...winners].every((w) => w.startsWith("replica-"))).toBe(true);

    // Every run was logged with its outcome and duration by the replica that ran it.
    const finished = replicas.flatMap((p) =>
      p.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "job finished"),
    );
    expect(finished).toHaveLength(slots.size);
    expect(finished.every((l) => l.outcome === "ok" && typeof l.durationMs === "number")).toBe(true);
  }, 120_000);
});
