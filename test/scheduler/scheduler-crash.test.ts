import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIGEST_CLAIM_STALE_MS } from "../../src/app/service.ts";
import { type FakeMessage, FakeSlack } from "../../src/devtools/fake-slack.ts";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";
import { type Replica, SharedClock, startReplica } from "../helpers/replicas.ts";
import { type SeededWorkspace, seedWorkspace } from "../helpers/scheduler-seed.ts";

const execFileAsync = promisify(execFile);

// A replica is SIGKILLed in the middle of posting a digest, twice:
//  1. after Slack accepted the post (the message is in the channel) but before the answer came
//     back, so the database still says "posting";
//  2. while the post was in flight and before Slack stored anything.
// Each time the process is restarted; its start-up catch-up must finish the job without a
// duplicate: in case 1 by finding the message (conversations.history, message metadata) and
// recording it, in case 2 by posting it, once.

// Timeouts are generous (120 s) because process start-up is CPU-bound and 2 cores are shared with
// the rest of the suite; alone, each provider takes ~5–15 s.
describe.each(PROVIDERS)("a replica killed mid-digest on %s", (provider) => {
  let t: TestStore;
  let slack: FakeSlack;
  let clock: SharedClock;
  let current: Replica | null = null;
  let x: SeededWorkspace; // case 1
  let y: SeededWorkspace; // case 2
  /** postMessage requests the fake is holding open (released on cleanup). */
  const held: Array<() => void> = [];
  const attempts: Array<{ channel: string; at: number }> = [];
  let behaviour: Record<string, "accept-then-hang" | "hang" | "ok"> = {};

  beforeAll(async () => {
    t = await createTestStore(provider);
    slack = await FakeSlack.start();
    clock = new SharedClock("2026-11-16T09:01:00Z"); // Mon of W47, 09:01 UTC
    x = await seedWorkspace(t.store, { externalId: "TX", timezone: "UTC", digestDay: 1, digestHour: 9 });
    y = await seedWorkspace(t.store, { externalId: "TY", timezone: "UTC", digestDay: 1, digestHour: 10 }); // due 10:00
    slack.on("chat.postMessage", async (args) => {
      const channel = String(args.channel ?? "");
      attempts.push({ channel, at: Date.now() });
      const mode = behaviour[channel] ?? "ok";
      const stored =
        mode === "hang"
          ? null
          : slack.addMessage(channel, {
              text: String(args.text ?? ""),
              ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
              bot_id: slack.botId,
            });
      if (mode !== "ok") await new Promise<void>((release) => held.push(release));
      return { ok: true, channel, ts: stored?.ts };
    });
  }, 120_000);

  afterAll(async () => {
    await current?.kill();
    for (const release of held) release();
    await slack?.close();
    await t?.cleanup();
    clock?.dispose();
  });

  const digestsIn = (channel: string | null): FakeMessage[] =>
    (slack.messages.get(channel ?? "") ?? []).filter(
      (m) => (m.metadata as { event_type?: string } | undefined)?.event_type === "tio_digest",
    );
  const digestRow = (s: SeededWorkspace) =>
    t.database.db.digest.findUnique({
      where: { workspaceId_week: { workspaceId: s.ws.id, week: "2026-W46" } },
    });
  const start = async (catchUp: boolean) => {
    current = await startReplica({
      id: "replica-a",
      databaseUrl: t.url,
      clock,
      slackApiUrl: slack.url,
      catchUp,
    });
    return current;
  };

  it("restarts finish the digest without posting it twice", async () => {
    // 1. Slack takes the post and never answers; the process dies before recording it.
    behaviour = { [x.ws.digestChannel ?? ""]: "accept-then-hang" };
    const first = await start(false);
    const run = first.runDue(["digest"]).catch(() => "killed");
    await expect.poll(() => digestsIn(x.ws.digestChannel).length, { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await digestRow(x))?.status, { timeout: 5_000 }).toBe("posting");
    await first.kill();
    expect(await run).toBe("killed");
    const killedRun = await t.database.db.jobRun.findFirstOrThrow({ where: { task: "digest" } });
    expect(killedRun).toMatchObject({ claimedBy: "replica-a", finishedAt: null });

    // 2. Restart after the claim went stale: start-up catch-up finds the message and records it.
    clock.set("2026-11-16T09:07:00Z");
    const second = await start(true);
    await second.ready();
    expect((await digestRow(x))?.status).toBe("posted");
    const xMessages = digestsIn(x.ws.digestChannel);
    expect(xMessages).toHaveLength(1); // found and recorded, not posted again
    expect((await digestRow(x))?.messageRef).toBe(`${x.ws.digestChannel}:${xMessages[0]?.ts}`);
    expect(attempts.filter((a) => a.channel === x.ws.digestChannel)).toHaveLength(1);
    expect(slack.callsTo("conversations.history").some((c) => c.args.channel === x.ws.digestChannel)).toBe(
      true,
    );

    //    At 10:05 Y is due; its post hangs before Slack stores anything, and the process dies again.
    clock.set("2026-11-16T10:05:00Z");
    behaviour = { [y.ws.digestChannel ?? ""]: "hang" };
    const run2 = second.runDue(["digest"]).catch(() => "killed");
    await expect
      .poll(() => attempts.filter((a) => a.channel === y.ws.digestChannel).length, { timeout: 15_000 })
      .toBe(1);
    await expect.poll(async () => (await digestRow(y))?.status, { timeout: 5_000 }).toBe("posting");
    await second.kill();
    expect(await run2).toBe("killed");
    expect(digestsIn(y.ws.digestChannel)).toHaveLength(0);

    // 3. Restart once Y's claim is stale: checked (nothing there) and posted, exactly once.
    clock.advance(DIGEST_CLAIM_STALE_MS + 60_000);
    behaviour = {};
    const third = await start(true);
    await third.ready();
    expect(digestsIn(y.ws.digestChannel)).toHaveLength(1);
    expect(await digestRow(y)).toMatchObject({
      status: "posted",
      messageRef: `${y.ws.digestChannel}:${digestsIn(y.ws.digestChannel)[0]?.ts}`,
    });
    expect(digestsIn(x.ws.digestChannel)).toHaveLength(1);
    expect(attempts.map((a) => a.channel)).toEqual([
      x.ws.digestChannel,
      y.ws.digestChannel,
      y.ws.digestChannel,
    ]);

    // A further run posts nothing; the JobRun history shows the two killed runs and the good one.
    await third.runDue(["digest"]);
    expect(attempts).toHaveLength(3);
    const runs = await t.database.db.jobRun.findMany({
      where: { task: "digest" },
      orderBy: { fireTime: "asc" },
    });
    expect(
      runs.map((r) => [r.fireTime.toISOString(), r.finishedAt === null ? "unfinished" : r.outcome]),
    ).toEqual([
      ["2026-11-16T09:00:00.000Z", "unfinished"],
      ["2026-11-16T09:05:00.000Z", "ok"],
      ["2026-11-16T10:05:00.000Z", "unfinished"],
      ["2026-11-16T10:10:00.000Z", "ok"],
    ]);
    expect(await third.stop()).toBe(0);

    // `take-it-offline jobs` reads the same history (whatever replica ran what). One database is
    // enough for this wiring check: listJobs' queries run on both in scheduler-jobs.test.ts.
    if (provider !== "postgresql") return;
    const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", "src/cli.ts", "jobs"], {
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: t.url, LOG_LEVEL: "warn" },
    });
    expect(stdout).toMatch(
      /digest — .*\n {2}schedule: every 5 min .*\n {2}last run: 2026-11-16T10:10:00Z — ok in \d+ ms on replica-a \{"posted":\["[^"]+:2026-W46"\]/,
    );
    expect(stdout).toMatch(/TY: Mon 10:00 UTC, to CTY; 2026-W\d\d: /);
  }, 120_000);
});
