import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReviewChatPort } from "../../src/app/review.ts";
import { REVIEW_FRESH_DAYS, REVIEW_MIN_CANDIDATES, REVIEW_SIZE } from "../../src/app/review.ts";
import { OfflineService } from "../../src/app/service.ts";
import { parseCommand } from "../../src/core/commands.ts";
import type { MessageDoc } from "../../src/core/messages/doc.ts";
import { renderPlain } from "../../src/core/messages/plain.ts";
import { fixedClock } from "../../src/core/ports.ts";
import type { Member, Workspace } from "../../src/core/types.ts";
import { createTestChat } from "../helpers/scheduler-chat.ts";
import { type ContractStore, openContractStore, STORE_KINDS } from "../helpers/store-kinds.ts";
import { teamMessage } from "../helpers/world.ts";

// Issue 14 item 5, "value on day one": the review of who was found, on every store: opened once
// per workspace per trigger, sent once to the admins and the installer (never to someone opted
// out), each row's answer applied to the contact and undoable, and only admins may answer.

/** Every doc sent, by member id. */
function recordingChat(): ReviewChatPort & { sent: Array<{ memberId: string; doc: MessageDoc }> } {
  const sent: Array<{ memberId: string; doc: MessageDoc }> = [];
  return {
    sent,
    async sendDoc(_ws, member, doc) {
      sent.push({ memberId: member.id, doc });
      return `ref-${sent.length}`;
    },
  };
}

/** The review's rows: the spans of each row block, as plain text, with the answers it offers. */
function rowsOf(doc: MessageDoc) {
  return doc.blocks.flatMap((b) =>
    b.type === "row"
      ? [
          {
            text: b.spans.map((s) => (typeof s === "string" ? s : "strong" in s ? s.strong : "")).join(""),
            buttons: b.buttons.map((x) => x.label),
            contactId: b.buttons[0]?.action.kind === "review" ? b.buttons[0].action.contactId : null,
          },
        ]
      : [],
  );
}

describe.each(STORE_KINDS)("review of who was found on %s", (kind) => {
  let cs: ContractStore;
  let service: OfflineService;
  let ws: Workspace;
  const clock = fixedClock("2026-11-18T15:00:00Z");
  let admin: Member;
  let installer: Member;
  let plain: Member;
  let optedOutAdmin: Member;

  beforeEach(async () => {
    clock.set("2026-11-18T15:00:00Z");
    cs = await openContractStore(kind);
    service = new OfflineService(cs.store, clock);
    ws = await cs.store.upsertWorkspace({ platform: "slack", externalId: "T1", name: "Northwind" });
    admin = await service.member(ws, {
      platformUserId: "UANN",
      displayName: "Ann Smith",
      external: false,
      isAdmin: true,
    });
    installer = await service.member(ws, { platformUserId: "UBO", displayName: "Bo Chen", external: false });
    plain = await service.member(ws, { platformUserId: "UCY", displayName: "Cy Park", external: false });
    optedOutAdmin = await service.member(ws, {
      platformUserId: "UDEE",
      displayName: "Dee Fox",
      external: false,
      isAdmin: true,
    });
    await cs.store.updateMember(ws.id, optedOutAdmin.id, { optedOut: true });
  });
  afterEach(async () => {
    await cs.cleanup();
  });

  /** `n` people found in text, person i mentioned n - i times (so the ranking is known). */
  async function findPeople(n: number): Promise<void> {
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n - i; k++)
        await service.tracker.processMessage(
          ws,
          teamMessage(
            ws,
            clock,
            k % 2 ? "UCY" : "UANN",
            `Could we ask person${i}@orbit${i}.example about it?`,
          ),
        );
  }
  const statusOf = async (contactId: string) => (await cs.store.getContact(ws.id, contactId))?.status;

  it("is sent once after an install, to the admins and the installer, most mentioned first", async () => {
    await findPeople(REVIEW_SIZE + 2);
    const chat = recordingChat();
    expect(await service.reviewAfterInstall(ws, installer, chat)).toBe(2);
    // A retried install (or another replica) sends nothing more.
    expect(await service.reviewAfterInstall(ws, installer, chat)).toBe(0);
    expect(await service.runReviewSweep(ws, chat)).toBe(0);
    expect(chat.sent.map((s) => s.memberId).sort()).toEqual([admin.id, installer.id].sort());
    const rows = rowsOf(chat.sent[0]!.doc);
    expect(rows).toHaveLength(REVIEW_SIZE);
    expect(rows[0]!.text).toBe("person0@orbit0.example: 12 mentions by 2 teammates");
    expect(rows[1]!.text).toBe("person1@orbit1.example: 11 mentions by 2 teammates");
    expect(rows.every((r) => r.buttons.join() === "Track,Not external,Ignore")).toBe(true);
    expect(renderPlain(chat.sent[0]!.doc)).toContain("Review who we found");
    expect(plain.id).not.toBe(admin.id);
  });

  it("after install with nothing found: nothing sent, and the first sweep with enough candidates sends it", async () => {
    const chat = recordingChat();
    expect(await service.reviewAfterInstall(ws, installer, chat)).toBe(0);
    await findPeople(REVIEW_MIN_CANDIDATES - 1);
    expect(await service.runReviewSweep(ws, chat)).toBe(0);
    await findPeople(REVIEW_MIN_CANDIDATES);
    // The installer isn't an admin and was not asked at install (nothing to review then): admins only.
    expect(await service.runReviewSweep(ws, chat)).toBe(1);
    expect(await service.runReviewSweep(ws, chat)).toBe(0);
    expect(chat.sent.map((s) => s.memberId)).toEqual([admin.id]);
  });

  it("an installer marked at install gets every later review too, and sees it in their own view", async () => {
    await service.markInstaller(ws, installer);
    const chat = recordingChat();
    expect(await service.reviewAfterInstall(ws, installer, chat)).toBe(0);
    await findPeople(REVIEW_MIN_CANDIDATES);
    // The sweep's review: nobody passes the installer in, their row says who they are.
    expect(await service.runReviewSweep(ws, chat)).toBe(2);
    expect(chat.sent.map((s) => s.memberId).sort()).toEqual([admin.id, installer.id].sort());
    const marked = (await cs.store.getMember(ws.id, "UBO"))!;
    const home = await service.execute(ws, marked, parseCommand("home", { now: clock.now() }), {
      isAdmin: false,
    });
    if (home.kind !== "doc") throw new Error("no home");
    expect(renderPlain(home.doc)).toContain("Review who we found");
  });

  it("a workspace installed long ago gets no review from the sweep, only from an import or `review`", async () => {
    await findPeople(REVIEW_MIN_CANDIDATES + 1);
    clock.advance(REVIEW_FRESH_DAYS * 86_400_000 + (Date.now() - clock.now().getTime()) + 86_400_000);
    const chat = recordingChat();
    expect(await service.runReviewSweep(ws, chat)).toBe(0);
    expect(await cs.store.latestReview(ws.id)).toBeNull();
    expect(await service.openImportReview(ws)).not.toBeNull();
    expect(await service.runReviewSweep(ws, chat)).toBe(1);
  });

  it("an import opens it and the next sweep sends it, once", async () => {
    await findPeople(3);
    const opened = await service.openImportReview(ws);
    expect(opened?.items).toHaveLength(3);
    expect(await service.openImportReview(ws)).toBeNull();
    const chat = recordingChat();
    expect(await service.runReviewSweep(ws, chat)).toBe(1);
    expect(await service.runReviewSweep(ws, chat)).toBe(0);
  });

  it("Track, Not external and Ignore apply to the contact, show the outcome in the row, and undo", async () => {
    await findPeople(3);
    const chat = recordingChat();
    await service.reviewAfterInstall(ws, installer, chat);
    const review = await cs.store.latestReview(ws.id);
    const [a, b, c] = rowsOf(chat.sent[0]!.doc).map((r) => r.contactId as string);
    const answer = (
      who: Member,
      contactId: string,
      ans: "track" | "not-external" | "ignore" | "undo",
      isAdmin = who.isAdmin,
    ) => service.answerReview(ws, who, isAdmin, review!.id, contactId, ans);

    const tracked = await answer(admin, a!, "track");
    expect(tracked.kind === "doc" && tracked.changed).toBe(true);
    expect(await statusOf(a!)).toBe("tracked");
    if (tracked.kind !== "doc") throw new Error("refused");
    expect(rowsOf(tracked.doc)[0]).toMatchObject({
      text: "person0@orbit0.example: tracked: prompts and the digest count them.",
      buttons: ["Undo"],
    });
    // The installer answers too (a recipient, though not an admin).
    await answer(installer, b!, "not-external");
    expect(await statusOf(b!)).toBe("ignored");
    await answer(admin, c!, "ignore");
    expect(await statusOf(c!)).toBe("ignored");

    // A second answer on an answered row changes nothing.
    const again = await answer(admin, a!, "ignore");
    expect(again.kind === "doc" && again.changed).toBe(false);
    expect(await statusOf(a!)).toBe("tracked");

    const undone = await answer(admin, b!, "undo");
    expect(await statusOf(b!)).toBe("candidate");
    if (undone.kind !== "doc") throw new Error("refused");
    expect(rowsOf(undone.doc)[1]!.buttons).toEqual(["Track", "Not external", "Ignore"]);
    expect(renderPlain(undone.doc)).toContain("Only admins can answer.");
  });

  it("two admins answering at once: one answer wins, the other rows' answers are kept", async () => {
    await findPeople(3);
    await service.reviewAfterInstall(ws, installer, recordingChat());
    const review = (await cs.store.latestReview(ws.id))!;
    const [a, b] = review.items.map((i) => i.contactId);
    const replies = await Promise.all([
      service.answerReview(ws, admin, true, review.id, a!, "track"),
      service.answerReview(ws, installer, false, review.id, a!, "ignore"),
      service.answerReview(ws, installer, false, review.id, b!, "ignore"),
    ]);
    const changed = replies.map((r) => r.kind === "doc" && r.changed);
    expect(changed[0] !== changed[1]).toBe(true);
    expect(changed[2]).toBe(true);
    const after = (await cs.store.getReview(ws.id, review.id))!;
    const decisionOf = (id: string) => after.items.find((i) => i.contactId === id)?.decision;
    expect(decisionOf(a!)).toBe(changed[0] ? "track" : "ignore");
    expect(await statusOf(a!)).toBe(changed[0] ? "tracked" : "ignored");
    expect(decisionOf(b!)).toBe("ignore");
    expect(await statusOf(b!)).toBe("ignored");
  });

  it("refuses anyone who is not an admin or a recipient, and ids from another workspace", async () => {
    await findPeople(2);
    await service.reviewAfterInstall(ws, installer, recordingChat());
    const review = (await cs.store.latestReview(ws.id))!;
    const contactId = review.items[0]!.contactId;
    expect(await service.answerReview(ws, plain, false, review.id, contactId, "ignore")).toEqual({
      kind: "refused",
      reason: "not-admin",
    });
    expect(await statusOf(contactId)).toBe("candidate");

    const other = await cs.store.upsertWorkspace({ platform: "slack", externalId: "T2", name: "Other" });
    const otherAdmin = await service.member(other, {
      platformUserId: "UZED",
      displayName: "Zed",
      external: false,
      isAdmin: true,
    });
    expect(await service.answerReview(other, otherAdmin, true, review.id, contactId, "ignore")).toEqual({
      kind: "refused",
      reason: "gone",
    });
    expect(await statusOf(contactId)).toBe("candidate");

    // `review`: admins see it; a teammate is told who can.
    const run = (who: Member, isAdmin: boolean) =>
      service.execute(ws, who, parseCommand("review", { now: clock.now() }), { isAdmin });
    expect((await run(plain, false)).kind).toBe("error");
    const shown = await run(admin, true);
    expect(shown.kind).toBe("doc");
    if (shown.kind === "doc") expect(rowsOf(shown.doc)).toHaveLength(2);
  });

  it("a quiet workspace: a contact tracked in the review is prompted about after three mentions in six weeks", async () => {
    // One outside person, three mentions three weeks apart: far below "3 in 14 days".
    for (let i = 0; i < 3; i++) {
      if (i > 0) clock.advance(21 * 86_400_000);
      await service.tracker.processMessage(
        ws,
        teamMessage(ws, clock, "UANN", "Could Priya (priya@orbit.example) join?"),
      );
    }
    const chat = createTestChat();
    const review = await service.openImportReview(ws);
    const contactId = review!.items[0]!.contactId;
    await service.answerReview(ws, admin, true, review!.id, contactId, "track");
    const report = await service.runNudgeSweep(ws, chat);
    const lunch = chat.prompts.find((p) => p.prompt.kind === "lunch");
    expect(report.sent).toBeGreaterThan(0);
    expect(lunch?.memberId).toBe(admin.id);
    // The window that decided is the fitted one (core/nudges.ts fittedWindowDays), and the prompt says so.
    expect(lunch?.prompt.kind === "lunch" && lunch.prompt.reason).toContain("90 days");
  });

  it("shows as a section of an admin's own view while rows wait for an answer", async () => {
    await findPeople(2);
    await service.reviewAfterInstall(ws, installer, recordingChat());
    const home = async (who: Member) =>
      service.execute(ws, who, parseCommand("home", { now: clock.now() }), { isAdmin: who.isAdmin });
    const adminHome = await home(admin);
    if (adminHome.kind !== "doc") throw new Error("no home");
    expect(renderPlain(adminHome.doc)).toContain("Review who we found");
    const plainHome = await home(plain);
    if (plainHome.kind !== "doc") throw new Error("no home");
    expect(renderPlain(plainHome.doc)).not.toContain("Review who we found");
  });
});
