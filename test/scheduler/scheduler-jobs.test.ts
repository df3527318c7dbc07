import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppContext, openApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { type Clock, fixedClock, systemClock } from "../../src/core/ports.ts";
import { createLogger } from "../../src/log.ts";
import { everySeconds } from "../../src/scheduler/cadence.ts";
import {
  formatJobs,
  listJobs,
  type RunReport,
  type Scheduler,
  startScheduler,
} from "../../src/scheduler/index.ts";
import { type JobDefinition, nudgeSweepJob } from "../../src/scheduler/jobs.ts";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";
import { expectOneRunPerSlot } from "../helpers/replicas.ts";
import { createTestChat, type TestChat } from "../helpers/scheduler-chat.ts";
import { seedWorkspace } from "../helpers/scheduler-seed.ts";

// The scheduler in one process with several "replicas" (separate AppContexts, each with its own
// database connection and instance id) on one database, driven by a fake clock through runDue(),
// plus one test with node-cron's real timers. The multi-process version is scheduler-replicas.

describe.each(PROVIDERS)("scheduler on %s", (provider) => {
  let t: TestStore;
  const apps: AppContext[] = [];
  const schedulers: Scheduler[] = [];

  async function app(instanceId: string, clock: Clock, logLines?: string[]): Promise<AppContext> {
    // Each in-process "replica" has its own test chat and clock, which one shared pg-boss queue
    // would mix (a job enqueued here, run there): each gets the in-process queue. pg-boss between
    // real processes is tested in scheduler-replicas.test.ts and scheduler-fanout.test.ts.
    const config = loadConfig({
      DATABASE_URL: t.url,
      LOG_LEVEL: "silent",
      INSTANCE_ID: instanceId,
      JOB_QUEUE: "memory",
    });
    const log = logLines
      ? createLogger("debug", {}, (line) => {
          logLines.push(line);
          return true;
        })
      : createLogger("silent");
    const a = await openApp(config, { clock, log, migrate: false });
    apps.push(a);
    return a;
  }

  async function scheduler(
    a: AppContext,
    chat: TestChat,
    options: Parameters<typeof startScheduler>[2] = {},
  ) {
    const s = await startScheduler(a, () => chat, { timers: false, catchUp: false, ...options });
    schedulers.push(s);
    return s;
  }

  beforeAll(async () => {
    t = await createTestStore(provider);
  });
  afterAll(async () => {
    for (const s of schedulers) await s.stop();
    for (const a of apps) await a.close();
    await t.cleanup();
  });

  it("three replicas over several periods: each slot runs once, each digest, nudge and follow-up goes out once", async () => {
    const clock = fixedClock("2026-11-01T00:00:00Z");
    const chat = createTestChat();
    const replicas = await Promise.all(
      ["r1", "r2", "r3"].map(async (id) => scheduler(await app(id, clock), chat)),
    );
    const mentionsAt = new Date("2026-11-05T12:00:00Z");
    const berlin = await seedWorkspace(t.store, {
      externalId: "TBERLIN",
      timezone: "Europe/Berlin",
      digestDay: 1,
      digestHour: 9,
      memberIds: ["UB1", "UB2"],
      mentionsAt,
      lunchAt: new Date("2026-11-10T11:00:00Z"), // Tue 12:00 CET → follow-up Wed 10:00 CET = 09:00Z
    });
    const tonga = await seedWorkspace(t.store, {
      externalId: "TTONGA",
      timezone: "Pacific/Tongatapu",
      digestDay: 1,
      digestHour: 9,
      memberIds: ["UT1"],
      mentionsAt,
    });
    const honolulu = await seedWorkspace(t.store, {
      externalId: "THNL",
      timezone: "Pacific/Honolulu",
      digestDay: 5,
      digestHour: 17,
      memberIds: ["UH1"],
      mentionsAt,
    });

    const reports: RunReport[] = [];
    const tick = async (iso: string) => {
      clock.set(iso);
      for (const r of await Promise.all(replicas.map((s) => s.runDue()))) reports.push(...r);
    };
    const postsOf = (ws: { ws: { id: string } }) =>
      chat.posts.filter((p) => p.workspaceId === ws.ws.id).map((p) => p.week);

    await tick("2026-11-09T07:55:00Z"); // Mon: Berlin 08:55 (W46 not yet due); Tonga Mon 20:55 (W46 due); Honolulu Sun (W45 due Fri)
    expect(postsOf(berlin)).toEqual([]);
    expect(postsOf(tonga)).toEqual(["2026-W45"]);
    expect(postsOf(honolulu)).toEqual(["2026-W44"]);
    await tick("2026-11-09T08:00:00Z"); // Berlin Mon 09:00: due
    await tick("2026-11-09T08:03:00Z"); // same 5-minute slot: nobody runs it again
    await tick("2026-11-09T08:05:00Z"); // next slot: already posted
    expect(postsOf(berlin)).toEqual(["2026-W45"]);

    await tick("2026-11-10T09:00:00Z"); // Tue 10:00 Berlin: working hours → Berlin nudges
    await tick("2026-11-10T10:00:00Z"); // next sweep: nothing new
    // UB1 organised a lunch with the contact already ("lunch-open"), so only UB2 is prompted.
    expect(chat.prompts.filter((p) => p.prompt.kind === "lunch").map((p) => p.memberId)).toEqual([
      berlin.members[1]?.id,
    ]);
    await tick("2026-11-10T20:00:00Z"); // Tue 10:00 Honolulu
    await tick("2026-11-10T21:00:00Z"); // Wed 10:00 Tonga (and Honolulu 11:00: already nudged)
    await tick("2026-11-11T09:00:00Z"); // Wed 10:00 Berlin: follow-up due, and another Berlin sweep
    await tick("2026-11-11T09:15:00Z");
    await tick("2026-11-11T10:00:00Z");
    await tick("2026-11-14T03:00:00Z"); // Fri 17:00 Honolulu: W46 digest
    await tick("2026-11-16T08:00:00Z"); // Mon: Berlin and Tonga W47, Honolulu still W46 (posted)

    expect(postsOf(berlin)).toEqual(["2026-W45", "2026-W46"]);
    expect(postsOf(tonga)).toEqual(["2026-W45", "2026-W46"]);
    expect(postsOf(honolulu)).toEqual(["2026-W44", "2026-W45"]);

    const lunchPrompts = chat.prompts.filter((p) => p.prompt.kind === "lunch");
    const everyone = [berlin.members[1], ...tonga.members, ...honolulu.members].map((m) => m?.id).sort();
    expect(lunchPrompts.map((p) => p.memberId).sort()).toEqual(everyone);
    const followUps = chat.prompts.filter((p) => p.prompt.kind === "follow-up");
    expect(followUps).toHaveLength(1);
    expect(followUps[0]).toMatchObject({
      memberId: berlin.members[0]?.id,
      prompt: { lunchId: berlin.lunchId },
    });

    // Every (task, slot) ran on exactly one replica; the others were told it was taken.
    const bySlot = new Map<string, RunReport[]>();
    for (const r of reports) {
      const key = `${r.task}@${r.fireTime.toISOString()}`;
      bySlot.set(key, [...(bySlot.get(key) ?? []), r]);
    }
    expectOneRunPerSlot(bySlot);
    const rows = await t.database.db.jobRun.findMany({});
    expect(rows).toHaveLength(bySlot.size);
    expect(rows.every((r) => r.outcome === "ok" && r.finishedAt !== null && (r.durationMs ?? -1) >= 0)).toBe(
      true,
    );
    expect(new Set(rows.map((r) => r.claimedBy)).size).toBeGreaterThan(1); // the work was spread, not pinned
    const sweepRow = rows.find(
      (r) => r.task === "nudge-sweep" && r.fireTime.toISOString() === "2026-11-10T09:00:00.000Z",
    );
    expect(JSON.parse(sweepRow?.detail ?? "{}")).toMatchObject({ sent: 1 });
  });

  it("start-up catch-up: a digest due earlier this week is posted on start; last week's is skipped and logged", async () => {
    const clock = fixedClock("2026-11-18T15:00:00Z"); // Wed of W47
    const chat = createTestChat();
    const seeded = await seedWorkspace(t.store, {
      externalId: "TCATCH",
      timezone: "America/New_York",
      digestDay: 1,
      digestHour: 9,
    });
    // Last week's (W46) digest was never posted: the process was down all that week.
    const lines: string[] = [];
    const s = await scheduler(await app("late-starter", clock, lines), chat, {
      catchUp: true,
      jobs: undefined,
    });
    await s.ready;
    expect(chat.posts.filter((p) => p.workspaceId === seeded.ws.id).map((p) => p.week)).toEqual(["2026-W46"]);
    const skipped = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === "digest skipped" && l.workspaceId === seeded.ws.id);
    expect(skipped).toEqual([
      expect.objectContaining({
        week: "2026-W45",
        reason: expect.stringMatching(/week ended before it was posted/),
      }),
    ]);
    expect(await t.store.getDigest(seeded.ws.id, "2026-W45")).toBeNull();
    // A second replica starting in the same slot finds the catch-up slot taken and posts nothing.
    const again = await scheduler(await app("late-starter-2", clock), chat, { catchUp: true });
    await again.ready;
    expect(chat.posts.filter((p) => p.workspaceId === seeded.ws.id)).toHaveLength(1);
  });

  it("housekeeping prunes events and job history, expires old prompts and applies retention", async () => {
    const clock = fixedClock("2026-11-20T03:30:00Z");
    const chat = createTestChat();
    const seeded = await seedWorkspace(t.store, {
      externalId: "THOUSE",
      timezone: "UTC",
      digestDay: 1,
      digestHour: 9,
      memberIds: ["UX"],
      mentionsAt: new Date("2026-11-15T10:00:00Z"),
    });
    await t.store.updateWorkspace(seeded.ws.id, { settings: { ...seeded.ws.settings, retentionDays: 30 } });
    const member = seeded.members[0]!;
    const db = t.database.db;
    await t.store.replaceMentions(
      seeded.ws.id,
      "old-msg",
      { memberId: member.id, channelId: "C", at: new Date("2026-09-01T00:00:00Z"), source: "message" },
      [seeded.contactId],
    );
    await db.processedEvent.create({
      data: { key: "slack:Ev-old", receivedAt: new Date("2026-11-01T00:00:00Z") },
    });
    await db.processedEvent.create({
      data: { key: "slack:Ev-new", receivedAt: new Date("2026-11-19T00:00:00Z") },
    });
    const nudge = await t.store.createNudge(seeded.ws.id, {
      memberId: member.id,
      contactId: seeded.contactId,
      kind: "lunch",
    });
    await t.store.transitionNudge(seeded.ws.id, nudge.id, ["pending"], {
      status: "sent",
      sentAt: new Date("2026-10-01T00:00:00Z"),
    });
    await db.jobRun.create({
      data: { task: "digest", fireTime: new Date("2026-09-01T00:00:00Z"), claimedBy: "old" },
    });

    const s = await scheduler(await app("housekeeper", clock), chat);
    const [report] = await s.runDue(["housekeeping"]);
    expect(report).toMatchObject({ task: "housekeeping", ran: true, outcome: "ok" });
    expect(report?.summary).toMatchObject({ events: 1, expiredPrompts: 1, mentions: 1, jobRuns: 1 });
    expect(await db.processedEvent.findMany({ select: { key: true } })).toEqual([{ key: "slack:Ev-new" }]);
    expect((await t.store.getNudge(seeded.ws.id, nudge.id))?.status).toBe("expired");
    expect(await db.mention.count({ where: { workspaceId: seeded.ws.id, messageId: "old-msg" } })).toBe(0);
    expect(await db.mention.count({ where: { workspaceId: seeded.ws.id } })).toBe(4);
  });

  it("stop() lets a claimed run finish and record its outcome", async () => {
    const clock = fixedClock("2026-11-21T12:00:00Z");
    let release: () => void = () => {};
    const slowJob: JobDefinition = {
      name: "slow",
      cadence: everySeconds(30),
      description: "waits",
      run: () =>
        new Promise((resolve) => {
          release = () => resolve({ summary: { waited: true }, failed: false });
        }),
    };
    const s = await scheduler(await app("stopper", clock), createTestChat(), { jobs: [slowJob] });
    const running = s.runDue();
    await expect.poll(() => t.database.db.jobRun.count({ where: { task: "slow" } })).toBe(1);
    let stopped = false;
    const stopping = s.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    release();
    await stopping;
    const [report] = await running;
    expect(report).toMatchObject({ ran: true, outcome: "ok" });
    const row = await t.database.db.jobRun.findFirstOrThrow({ where: { task: "slow" } });
    expect(row).toMatchObject({ claimedBy: "stopper", outcome: "ok", detail: '{"waited":true}' });
    expect(await s.runDue()).toEqual([expect.objectContaining({ ran: false, skipped: "stopping" })]);
  });

  it("a failing job is recorded as an error and doesn't stop the others", async () => {
    const clock = fixedClock("2026-11-21T13:00:00Z");
    const boom: JobDefinition = {
      name: "boom",
      cadence: everySeconds(30),
      description: "fails",
      run: () => Promise.reject(new Error("kaboom")),
    };
    const fine: JobDefinition = {
      name: "fine",
      cadence: everySeconds(30),
      description: "works",
      run: async () => ({ summary: {}, failed: false }),
    };
    const s = await scheduler(await app("mixed", clock), createTestChat(), { jobs: [boom, fine] });
    const reports = await s.runDue();
    expect(reports.map((r) => [r.task, r.outcome])).toEqual([
      ["boom", "error"],
      ["fine", "ok"],
    ]);
    const row = await t.database.db.jobRun.findFirstOrThrow({ where: { task: "boom" } });
    expect(row.detail).toContain("kaboom");
  });

  it("node-cron timers with distributed: true fire each slot on exactly one of three replicas", async () => {
    const executions: Array<{ instance: string; fireTime: string }> = [];
    const tickJob = (instance: string): JobDefinition => ({
      name: "tick",
      cadence: everySeconds(1),
      description: "records who ran which slot",
      async run({ fireTime }) {
        executions.push({ instance, fireTime: fireTime.toISOString() });
        await new Promise((r) => setTimeout(r, 20));
        return { summary: { instance }, failed: false };
      },
    });
    const started = Date.now();
    const local: Scheduler[] = [];
    for (const id of ["cron-a", "cron-b", "cron-c"]) {
      local.push(
        await startScheduler(await app(id, systemClock), () => null, { jobs: [tickJob(id)], catchUp: false }),
      );
    }
    // Let node-cron fire a few slots (stop early once three have run; a loaded machine may drop one).
    await expect
      .poll(() => t.database.db.jobRun.count({ where: { task: "tick", finishedAt: { not: null } } }), {
        timeout: 8_000,
        interval: 200,
      })
      .toBeGreaterThanOrEqual(3);
    for (const s of local) await s.stop();
    const rows = await t.database.db.jobRun.findMany({
      where: { task: "tick" },
      orderBy: { fireTime: "asc" },
    });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const slots = executions.map((e) => e.fireTime);
    expect(new Set(slots).size).toBe(slots.length); // no slot ran twice
    expect(rows.map((r) => r.fireTime.toISOString())).toEqual([...slots].sort());
    for (const r of rows) {
      expect(r.fireTime.getUTCMilliseconds()).toBe(0);
      expect(r.fireTime.getTime()).toBeGreaterThanOrEqual(started - 1000);
      expect(r.outcome).toBe("ok");
      expect(executions.find((e) => e.fireTime === r.fireTime.toISOString())?.instance).toBe(r.claimedBy);
    }
  });

  it("listJobs/formatJobs show each job's last and next run and each workspace's next digest", async () => {
    const clock = fixedClock("2026-11-16T08:07:00Z");
    const a = await app("lister", clock);
    const report = await listJobs(a);
    const digest = report.jobs.find((j) => j.name === "digest");
    expect(digest?.nextRun.toISOString()).toBe("2026-11-16T08:10:00.000Z");
    // The last run is the latest slot any replica claimed (earlier tests left several).
    const latest = await t.database.db.jobRun.findFirstOrThrow({
      where: { task: "digest" },
      orderBy: { fireTime: "desc" },
    });
    expect(digest?.lastRun).toMatchObject({
      fireTime: latest.fireTime,
      claimedBy: latest.claimedBy,
      outcome: "ok",
    });
    expect(report.jobs.find((j) => j.name === "housekeeping")?.nextRun.toISOString()).toBe(
      "2026-11-17T03:30:00.000Z",
    );
    const berlin = report.digests.find((d) => d.workspaceName === "TBERLIN");
    expect(berlin).toMatchObject({
      schedule: "Mon 09:00 Europe/Berlin",
      week: "2026-W46",
      thisWeek: "posted",
    });
    expect(berlin?.next?.toISOString()).toBe("2026-11-23T08:00:00.000Z");
    const text = formatJobs(report);
    expect(text).toContain("nudge-sweep — ");
    expect(text).toContain(
      `digest — Posts each workspace's weekly digest at its day and hour (catching up within the week)\n  schedule: every 5 min (cron "*/5 * * * *", UTC)\n  last run: ${latest.fireTime.toISOString().replace(".000Z", "Z")} — ok in ${latest.durationMs} ms on ${latest.claimedBy} {`,
    );
    expect(text).toContain("next run: 2026-11-16T08:10:00Z");
    expect(text).toContain(
      "TBERLIN: Mon 09:00 Europe/Berlin, to CTBERLIN; 2026-W46: posted; next 2026-11-23T08:00:00Z",
    );
  });
  it("queues the nudge sweep's largest workspaces first (their prompts go out at one workspace's pace)", async () => {
    const a = await app("plan-1", fixedClock(new Date("2026-11-18T10:00:00Z")));
    const chat = createTestChat();
    const s = await scheduler(a, chat);
    const base = { timezone: "UTC", digestDay: 1, digestHour: 9 };
    const small = await seedWorkspace(t.store, { ...base, externalId: "TSMALL", memberIds: ["U1"] });
    const large = await seedWorkspace(t.store, {
      ...base,
      externalId: "TLARGE",
      memberIds: ["U1", "U2", "U3"],
    });
    const { jobs } = await nudgeSweepJob.fanOut!.plan({
      app: a,
      chatFor: () => chat,
      coordinator: s.coordinator,
      fireTime: new Date("2026-11-18T10:00:00Z"),
    });
    const priority = new Map(jobs.map((j) => [j.key, j.priority]));
    expect(priority.get(large.ws.id)).toBe(3);
    expect(priority.get(small.ws.id)).toBe(1);
  });
});
