import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/ports.ts";
import { JobRunCoordinator, runKey } from "../../src/scheduler/coordinator.ts";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";

// The run coordinator on both databases: one JobRun row per (task, fire time), claimed by insert.

describe.each(PROVIDERS)("JobRunCoordinator on %s", (provider) => {
  let t: TestStore;
  const clock = fixedClock("2026-11-26T09:00:07Z");
  const coordinator = (id: string, exclusiveForMs?: Record<string, number>) =>
    new JobRunCoordinator(t.store, id, clock, exclusiveForMs ? { exclusiveForMs } : {});

  beforeAll(async () => {
    t = await createTestStore(provider);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("the first claim of a slot wins; later claims learn who has it", async () => {
    const fire = new Date("2026-11-26T09:00:00Z");
    const a = coordinator("replica-a");
    const b = coordinator("replica-b");
    expect(await a.claim("digest", fire)).toEqual({ claimed: true });
    expect(await b.claim("digest", fire)).toEqual({ claimed: false, reason: "taken", by: "replica-a" });
    expect(await a.claim("digest", fire)).toMatchObject({ claimed: false, reason: "taken" });
    // Another task or another slot is a different row.
    expect(await b.claim("nudge-sweep", fire)).toEqual({ claimed: true });
    expect(await b.claim("digest", new Date("2026-11-26T09:05:00Z"))).toEqual({ claimed: true });
    const row = await t.database.db.jobRun.findUniqueOrThrow({
      where: { task_fireTime: { task: "digest", fireTime: fire } },
    });
    expect(row).toMatchObject({ claimedBy: "replica-a", finishedAt: null, outcome: null });
    expect(row.claimedAt.toISOString()).toBe("2026-11-26T09:00:07.000Z");
  });

  it("of many concurrent claimants exactly one wins", async () => {
    const fire = new Date("2026-11-26T10:00:00Z");
    const replicas = Array.from({ length: 8 }, (_, i) => coordinator(`r${i}`));
    const results = await Promise.all(replicas.map((r) => r.claim("follow-ups", fire)));
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    const rows = await t.database.db.jobRun.findMany({ where: { task: "follow-ups", fireTime: fire } });
    expect(rows).toHaveLength(1);
  });

  it("implements node-cron's RunCoordinator: shouldRun(key) claims, onComplete closes unrecorded runs", async () => {
    const fire = new Date("2026-11-26T11:00:00Z");
    const a = coordinator("replica-a");
    const b = coordinator("replica-b");
    const key = runKey("nudge-sweep", fire);
    const [ra, rb] = await Promise.all([a.shouldRun(key, 30_000), b.shouldRun(key, 30_000)]);
    expect([ra, rb].sort()).toEqual([false, true]);
    const winner = ra ? a : b;
    await winner.onComplete(key);
    const row = await t.database.db.jobRun.findUniqueOrThrow({
      where: { task_fireTime: { task: "nudge-sweep", fireTime: fire } },
    });
    expect(row.finishedAt).not.toBeNull();
    expect(row.outcome).toBe("error");
    await expect(a.shouldRun("not a key", 1)).rejects.toThrow(/unexpected coordination key/);
  });

  it("records outcome, duration and detail on the claimant's row only", async () => {
    const fire = new Date("2026-11-26T12:00:00Z");
    const a = coordinator("replica-a");
    const b = coordinator("replica-b");
    await a.claim("housekeeping", fire);
    await b.finish("housekeeping", fire, { outcome: "error", durationMs: 5, detail: "not mine" });
    clock.set("2026-11-26T12:00:09Z");
    await a.finish("housekeeping", fire, {
      outcome: "ok",
      durationMs: 1234.4,
      detail: JSON.stringify({ events: 3 }),
    });
    const row = await a.lastRun("housekeeping");
    expect(row).toMatchObject({
      claimedBy: "replica-a",
      outcome: "ok",
      durationMs: 1234,
      detail: '{"events":3}',
    });
    expect(row?.finishedAt?.toISOString()).toBe("2026-11-26T12:00:09.000Z");
    // onComplete after a recorded outcome leaves it alone.
    await a.onComplete(runKey("housekeeping", fire));
    expect((await a.lastRun("housekeeping"))?.outcome).toBe("ok");
  });

  it("exclusive tasks: an unfinished earlier run blocks later slots (on any replica) until it ends or its window passes", async () => {
    const a = coordinator("replica-a", { sweep: 50 * 60_000 });
    const b = coordinator("replica-b", { sweep: 50 * 60_000 });
    clock.set("2026-11-27T09:00:01Z");
    expect(await a.claim("sweep", new Date("2026-11-27T09:00:00Z"))).toEqual({ claimed: true });
    clock.set("2026-11-27T09:40:00Z");
    // Still running on a: b's next slot is skipped, and recorded as skipped.
    const blocked = await b.claim("sweep", new Date("2026-11-27T09:40:00Z"));
    expect(blocked).toMatchObject({ claimed: false, reason: "overlap", by: "replica-a" });
    const skippedRow = await t.database.db.jobRun.findUniqueOrThrow({
      where: { task_fireTime: { task: "sweep", fireTime: new Date("2026-11-27T09:40:00Z") } },
    });
    expect(skippedRow).toMatchObject({ claimedBy: "replica-b", outcome: "skipped" });
    expect(skippedRow.detail).toMatch(/still in progress/);
    // Once the earlier run finishes, the next slot runs.
    await a.finish("sweep", new Date("2026-11-27T09:00:00Z"), { outcome: "ok", durationMs: 1 });
    expect(await b.claim("sweep", new Date("2026-11-27T09:45:00Z"))).toEqual({ claimed: true });
    // A run that never finished (its replica died) stops blocking after the window.
    // (The 09:45 run was claimed at 09:40 and never finished.)
    clock.set("2026-11-27T10:20:00Z");
    expect(await a.claim("sweep", new Date("2026-11-27T10:20:00Z"))).toMatchObject({
      claimed: false,
      reason: "overlap",
    });
    clock.set("2026-11-27T10:31:00Z");
    expect(await a.claim("sweep", new Date("2026-11-27T10:31:00Z"))).toEqual({ claimed: true });
    // Non-exclusive tasks are never blocked by their own unfinished runs.
    const plain = coordinator("replica-c");
    await plain.claim("digest", new Date("2026-11-27T10:00:00Z"));
    expect(await plain.claim("digest", new Date("2026-11-27T10:05:00Z"))).toEqual({ claimed: true });
  });

  it("prunes history before a date; lastFinished ignores skipped and running slots", async () => {
    const a = coordinator("replica-a");
    await a.claim("old-task", new Date("2026-09-01T00:00:00Z"));
    await a.finish("old-task", new Date("2026-09-01T00:00:00Z"), { outcome: "ok", durationMs: 1 });
    await a.claim("old-task", new Date("2026-11-01T00:00:00Z"));
    expect((await a.lastRun("old-task"))?.finishedAt).toBeNull();
    expect((await a.lastFinished("old-task"))?.fireTime.toISOString()).toBe("2026-09-01T00:00:00.000Z");
    expect(await a.prune(new Date("2026-10-01T00:00:00Z"))).toBeGreaterThanOrEqual(1);
    expect(await a.runs("old-task")).toHaveLength(1);
  });
});
