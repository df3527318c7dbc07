import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DIGEST_CLAIM_STALE_MS, DIGEST_HEARTBEAT_MS, OfflineService } from "../../src/app/service.ts";
import { fixedClock } from "../../src/core/ports.ts";
import type { Workspace } from "../../src/core/types.ts";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";
import { createTestChat } from "../helpers/scheduler-chat.ts";

// The weekly digest's claim protocol (OfflineService.postWeeklyDigest + the Digest row): at most one
// digest per workspace per ISO week across replicas, crashes and slow posts. "Replicas" here are
// separate OfflineService instances on one database; a "crash" is a post that never returns and a
// process that is never heard from again (its heartbeat is not running: no timers advance).

const MINUTE = 60_000;

describe.each(PROVIDERS)("digest claims on %s", (provider) => {
  let t: TestStore;
  let n = 0;
  const clock = fixedClock("2026-11-23T09:00:00Z"); // Monday of 2026-W48
  const WEEK = "2026-W48";

  async function workspace(): Promise<Workspace> {
    const ws = await t.store.upsertWorkspace({
      platform: "slack",
      externalId: `T${++n}`,
      name: `WS${n}`,
      timezone: "UTC",
    });
    return t.store.updateWorkspace(ws.id, { digestChannel: "C-DIGEST", digestDay: 1, digestHour: 9 });
  }
  const replica = () => new OfflineService(t.store, clock);
  const status = async (ws: Workspace) => (await t.store.getDigest(ws.id, WEEK))?.status ?? null;

  beforeAll(async () => {
    t = await createTestStore(provider);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => {
    vi.useRealTimers();
    clock.set("2026-11-23T09:00:00Z");
  });

  it("posts once; later attempts see it posted", async () => {
    const ws = await workspace();
    const chat = createTestChat();
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({ posted: true });
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({
      posted: false,
      message: expect.stringMatching(/already posted/),
    });
    expect(chat.posts).toHaveLength(1);
    expect(chat.posts[0]).toMatchObject({ channel: "C-DIGEST", key: `${ws.id}:${WEEK}`, week: WEEK });
    const row = await t.store.getDigest(ws.id, WEEK);
    expect(row).toMatchObject({ status: "posted", messageRef: chat.posts[0]?.ref });
  });

  it("three replicas racing for the same week post exactly once", async () => {
    const ws = await workspace();
    const chat = createTestChat();
    const results = await Promise.all(
      [replica(), replica(), replica()].map((s) => s.postWeeklyDigest(ws, chat, WEEK)),
    );
    expect(results.filter((r) => r.posted)).toHaveLength(1);
    expect(chat.posts).toHaveLength(1);
  });

  it("crash after claiming, before posting: taken over once stale, without a lookup", async () => {
    const ws = await workspace();
    const chat = createTestChat();
    const find = vi.fn(chat.findDigestPost);
    chat.findDigestPost = find;
    await t.store.claimDigest(ws.id, WEEK, "C-DIGEST", clock.now(), DIGEST_CLAIM_STALE_MS); // …and the process died
    clock.advance(DIGEST_CLAIM_STALE_MS - MINUTE);
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({
      posted: false,
      message: expect.stringMatching(/being posted/),
    });
    clock.advance(2 * MINUTE);
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({ posted: true });
    expect(find).not.toHaveBeenCalled();
    expect(chat.posts).toHaveLength(1);
  });

  it("crash after the platform accepted the post, before it was recorded: recovered without a duplicate", async () => {
    const ws = await workspace();
    const chat = createTestChat();
    chat.mode = "hang-after";
    const crashed = replica().postWeeklyDigest(ws, chat, WEEK);
    await chat.postStarted();
    void crashed; // never settles: the "process" is gone
    await vi.waitFor(async () => expect(await status(ws)).toBe("posting"), { timeout: 10_000 });
    expect(chat.posts).toHaveLength(1);

    chat.mode = "ok";
    clock.advance(MINUTE);
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({
      posted: false,
      message: expect.stringMatching(/being posted/),
    });
    clock.advance(DIGEST_CLAIM_STALE_MS);
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({
      posted: false,
      message: expect.stringMatching(/had been posted already; recorded it/),
    });
    expect(chat.posts).toHaveLength(1);
    expect(await t.store.getDigest(ws.id, WEEK)).toMatchObject({
      status: "posted",
      messageRef: chat.posts[0]?.ref,
    });
  });

  it("crash while the post was in flight but never arrived: posted once after the lookup finds nothing", async () => {
    const ws = await workspace();
    const chat = createTestChat();
    chat.mode = "hang-before";
    void replica().postWeeklyDigest(ws, chat, WEEK);
    await chat.postStarted();
    chat.mode = "ok";
    clock.advance(DIGEST_CLAIM_STALE_MS + MINUTE);
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({ posted: true });
    expect(chat.posts).toHaveLength(1);
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({ posted: false });
    expect(chat.posts).toHaveLength(1);
  });

  it("a platform that can't look posts up never re-posts a week whose post may have gone out", async () => {
    const ws = await workspace();
    const chat = createTestChat({ canFind: false });
    chat.mode = "hang-after";
    void replica().postWeeklyDigest(ws, chat, WEEK);
    await chat.postStarted();
    chat.mode = "ok";
    clock.advance(DIGEST_CLAIM_STALE_MS + MINUTE);
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({
      posted: false,
      message: expect.stringMatching(/not posting it twice/),
    });
    expect(await status(ws)).toBe("unconfirmed");
    clock.advance(DIGEST_CLAIM_STALE_MS + MINUTE);
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({ posted: false });
    expect(chat.posts).toHaveLength(1);
  });

  it("a slow post on a live process keeps its claim fresh, so no other replica takes over", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const ws = await workspace();
    const chat = createTestChat();
    chat.mode = "hang-before"; // e.g. rate-limited, the client retrying for minutes
    void replica().postWeeklyDigest(ws, chat, WEEK);
    await chat.postStarted();
    const claimedAt = async () =>
      (
        await t.database.db.digest.findUniqueOrThrow({
          where: { workspaceId_week: { workspaceId: ws.id, week: WEEK } },
        })
      ).claimedAt.getTime();
    const first = await claimedAt();
    for (let i = 0; i < 4; i++) {
      clock.advance(DIGEST_HEARTBEAT_MS);
      vi.advanceTimersByTime(DIGEST_HEARTBEAT_MS);
      const expected = clock.now().getTime();
      // The renewal is a database write: give it time on a loaded machine (the default is 1 s).
      await vi.waitFor(async () => expect(await claimedAt()).toBe(expected), { timeout: 10_000 });
    }
    expect(clock.now().getTime() - first).toBeGreaterThan(DIGEST_CLAIM_STALE_MS / 2);
    clock.advance(DIGEST_CLAIM_STALE_MS - MINUTE); // well past the stale age of the original claim
    chat.mode = "ok";
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({
      posted: false,
      message: expect.stringMatching(/being posted/),
    });
    expect(chat.posts).toHaveLength(0);
  });

  it("a failed post with a lookup keeps the claim and retries (after checking) once stale", async () => {
    const ws = await workspace();
    const chat = createTestChat();
    chat.mode = "fail";
    await expect(replica().postWeeklyDigest(ws, chat, WEEK)).rejects.toThrow("channel_not_found");
    expect(await status(ws)).toBe("posting");
    chat.mode = "ok";
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({ posted: false });
    clock.advance(DIGEST_CLAIM_STALE_MS + MINUTE);
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({ posted: true });
    expect(chat.posts).toHaveLength(1);
  });

  it("a failed post without a lookup is released and can be retried right away", async () => {
    const ws = await workspace();
    const chat = createTestChat({ canFind: false });
    chat.mode = "fail";
    await expect(replica().postWeeklyDigest(ws, chat, WEEK)).rejects.toThrow("channel_not_found");
    expect(await status(ws)).toBeNull();
    chat.mode = "ok";
    expect(await replica().postWeeklyDigest(ws, chat, WEEK)).toMatchObject({ posted: true });
    expect(chat.posts).toHaveLength(1);
  });

  it("weeks are independent: one digest per week", async () => {
    const ws = await workspace();
    const chat = createTestChat();
    await replica().postWeeklyDigest(ws, chat, "2026-W48");
    await replica().postWeeklyDigest(ws, chat, "2026-W49");
    await replica().postWeeklyDigest(ws, chat, "2026-W49");
    expect(chat.posts.map((p) => p.week)).toEqual(["2026-W48", "2026-W49"]);
  });
});
