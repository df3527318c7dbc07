// "Review who we found" on Slack, over signed HTTP into the real Bolt app: the DM goes to the
// admins once, each row's buttons apply to the contact and redraw the message in place (with
// Undo), someone who isn't an admin can't answer, `/offline review` shows it again, and App Home
// has it as a section.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { blockAction, type SlackHarness, slackTs, startSlackHarness } from "../helpers/slack-signing.ts";

type Element = {
  type: string;
  action_id: string;
  value?: string;
  text?: { text: string };
  options?: Array<{ value: string; text: { text: string } }>;
};
type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: Element;
  elements?: Element[];
};

/** A button, or each option of an overflow menu, as [action id, value, label]. */
const choices = (e: Element) =>
  e.options
    ? e.options.map((o) => [e.action_id, o.value, o.text.text] as const)
    : [[e.action_id, e.value ?? "", e.text?.text ?? ""] as const];

/** Each row of a review message: its line, and what can be clicked (beside it, or under it). */
function reviewRows(blocks: unknown) {
  const list = blocks as Block[];
  return list.flatMap((b, i) => {
    if (b.type !== "section" || !b.text?.text.includes(".example")) return [];
    const next = list[i + 1];
    const buttons = [
      ...(b.accessory ? choices(b.accessory) : []),
      ...(next?.type === "actions" && next.block_id?.startsWith("review:")
        ? (next.elements ?? []).flatMap(choices)
        : []),
    ];
    return [{ text: b.text.text, buttons }];
  });
}

describe.each(PROVIDERS)("Slack review of who was found on %s", (provider) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness(provider);
  });
  beforeEach(async () => {
    await h.reset();
  });
  afterAll(async () => {
    await h.close();
  });

  /** Ann (admin) and Bo talk about three outside people by email; person0 most. */
  async function findPeople(): Promise<Workspace> {
    let n = 0;
    for (const [i, times] of [3, 2, 1].entries())
      for (let k = 0; k < times; k++)
        await h.event({
          type: "message",
          channel: "C0SALES",
          channel_type: "channel",
          user: k % 2 ? "UBO" : "UANN",
          text: `Could we ask person${i}@orbit${i}.example about the pilot?`,
          ts: slackTs("2026-11-17T15:00:00Z", ++n),
        });
    await h.settle();
    return h.workspace();
  }

  const contactByEmail = async (ws: Workspace, email: string) => {
    const c = await h.app.store.findContactByAlias(ws.id, email);
    if (!c) throw new Error(`no contact ${email}`);
    return c;
  };

  async function click(
    userId: string,
    actionId: string,
    value: string,
    where: { channel: string; ts: string },
  ) {
    const payload = blockAction({ userId, actionId, value, channel: where.channel, messageTs: where.ts });
    if (actionId === "review_answer") {
      // An option of the row's "⋯" menu, as Slack sends it: the chosen option, not a value.
      const [action] = payload.actions as Array<Record<string, unknown>>;
      payload.actions = [
        {
          type: "overflow",
          action_id: actionId,
          block_id: "b",
          selected_option: { text: { type: "plain_text", text: "x" }, value },
          action_ts: action?.action_ts,
        },
      ];
    }
    const res = await h.interaction(payload);
    expect(res.status).toBe(200);
    await h.settle();
  }

  it("DMs the admin once, and each button applies, redraws its row with Undo, and undoes", async () => {
    const ws = await findPeople();
    expect(await h.app.service.runReviewSweep(ws, h.platform.chat)).toBe(0); // fewer than 5 candidates
    // An import (or an install) opens it; the sweep sends it, once, to the one admin.
    expect(await h.app.service.openImportReview(ws)).not.toBeNull();
    expect(await h.app.service.runReviewSweep(ws, h.platform.chat)).toBe(1);
    expect(await h.app.service.runReviewSweep(ws, h.platform.chat)).toBe(0);
    const posts = h.fake.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    // Her DM wasn't known: posted to her user id, which Slack puts into the DM.
    expect(posts[0]!.args.channel).toBe("UANN");
    expect(posts[0]!.channel).toBe("DUANN");
    expect(String(posts[0]!.args.text)).toContain("Review who we found: 3 people");
    const rows = reviewRows(posts[0]!.args.blocks);
    expect(rows.map((r) => r.text)).toEqual([
      "*person0@orbit0.example*: 3 mentions by 2 teammates",
      "*person1@orbit1.example*: 2 mentions by 2 teammates",
      "*person2@orbit2.example*: 1 mention by 1 teammate",
    ]);
    // Compact on a phone: Track in view, the other answers behind "⋯".
    expect(rows[0]!.buttons.map((b) => [b[0], b[2]])).toEqual([
      ["review_track", "Track"],
      ["review_answer", "Not external"],
      ["review_answer", "Ignore"],
    ]);
    expect(JSON.parse(rows[1]!.buttons[1]![1])).toMatchObject({ a: "not-external" });
    const where = { channel: "DUANN", ts: h.fake.messages.get("DUANN")![0]!.ts };
    const p0 = await contactByEmail(ws, "person0@orbit0.example");
    const p1 = await contactByEmail(ws, "person1@orbit1.example");
    const trackValue = rows[0]!.buttons[0]![1];
    expect(JSON.parse(trackValue)).toEqual({ r: expect.any(String), c: p0.id });

    await click("UANN", "review_track", trackValue, where);
    expect((await h.app.store.getContact(ws.id, p0.id))?.status).toBe("tracked");
    let update = h.fake.callsTo("chat.update").at(-1)!;
    expect(update.args).toMatchObject({ channel: "DUANN", ts: where.ts });
    let after = reviewRows(update.args.blocks);
    expect(after[0]).toEqual({
      text: "*person0@orbit0.example*: tracked: prompts and the digest count them.",
      buttons: [["review_undo", trackValue, "Undo"]],
    });
    // The other rows still wait.
    expect(after[1]!.buttons.map((b) => b[2])).toEqual(["Track", "Not external", "Ignore"]);

    await click("UANN", "review_answer", rows[1]!.buttons[1]![1], where);
    expect((await h.app.store.getContact(ws.id, p1.id))?.status).toBe("ignored");
    update = h.fake.callsTo("chat.update").at(-1)!;
    after = reviewRows(update.args.blocks);
    expect(after[1]!.text).toBe("*person1@orbit1.example*: not external: hidden for everyone on the team.");

    await click("UANN", "review_undo", trackValue, where);
    expect((await h.app.store.getContact(ws.id, p0.id))?.status).toBe("candidate");
    after = reviewRows(h.fake.callsTo("chat.update").at(-1)!.args.blocks);
    expect(after[0]!.buttons.map((b) => b[2])).toEqual(["Track", "Not external", "Ignore"]);
  });

  it("refuses a teammate who is not an admin, by button and by command", async () => {
    const ws = await findPeople();
    await h.app.service.openImportReview(ws);
    await h.app.service.runReviewSweep(ws, h.platform.chat);
    const rows = reviewRows(h.fake.callsTo("chat.postMessage")[0]!.args.blocks);
    const ignoreValue = rows[0]!.buttons[2]![1];
    const updatesBefore = h.fake.callsTo("chat.update").length;
    const postsBefore = h.fake.callsTo("chat.postMessage").length;
    // Bo crafts Ann's button (a forged or forwarded payload): nothing changes, nothing is redrawn,
    // and Bo is told why rather than left with a button that does nothing.
    await click("UBO", "review_answer", ignoreValue, { channel: "DUBO", ts: "1763391600.000100" });
    const p0 = await contactByEmail(ws, "person0@orbit0.example");
    expect(p0.status).toBe("candidate");
    expect(h.fake.callsTo("chat.update")).toHaveLength(updatesBefore);
    const told = h.fake.callsTo("chat.postMessage").slice(postsBefore);
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]!.args)).toContain("Only workspace admins");

    const bo = await h.command("UBO", "review");
    await h.settle();
    expect(JSON.stringify(h.responses(bo.responseId))).toContain("Only workspace admins");
    const ann = await h.command("UANN", "review");
    await h.settle();
    const [reply] = h.responses(ann.responseId);
    expect(reviewRows(reply?.blocks)).toHaveLength(3);
  });

  it("App Home shows the review to the admin while rows wait, and a click there redraws the home", async () => {
    const ws = await findPeople();
    await h.app.service.openImportReview(ws);
    await h.event({ type: "app_home_opened", user: "UANN", channel: "D0ANN", tab: "home" });
    await h.settle();
    const view = h.fake.callsTo("views.publish").at(-1)!.args.view as { blocks: unknown };
    const rows = reviewRows(view.blocks);
    expect(JSON.stringify(view.blocks)).toContain("Review who we found");
    expect(rows).toHaveLength(3);
    const res = await h.interaction(
      blockAction({
        userId: "UANN",
        actionId: "review_track",
        value: rows[2]!.buttons[0]![1],
        view: { id: "V0HOME", type: "home" },
      }),
    );
    expect(res.status).toBe(200);
    await h.settle();
    expect((await contactByEmail(ws, "person2@orbit2.example")).status).toBe("tracked");
    const again = h.fake.callsTo("views.publish").at(-1)!.args.view as { blocks: unknown };
    expect(reviewRows(again.blocks)[2]!.text).toBe(
      "*person2@orbit2.example*: tracked: prompts and the digest count them.",
    );

    // Bo's home has no review.
    await h.event({ type: "app_home_opened", user: "UBO", channel: "D0BO", tab: "home" });
    await h.settle();
    const bos = h.fake.callsTo("views.publish").at(-1)!;
    expect(bos.args.user_id).toBe("UBO");
    expect(JSON.stringify(bos.args.view)).not.toContain("Review who we found");
  });
});
