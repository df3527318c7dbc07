// "Review who we found" on Teams, through the real CloudAdapter against the fake Bot Connector:
// the card goes to the installer's personal chat once, when the bot is installed and there is
// something to review; each row's buttons apply and the card is replaced in place; a teammate who
// is not an admin can't answer; `review` shows it again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  type FakeUser,
  type Json,
  personalConversationId,
  type RecordedCall,
  startTeamsHarness,
  type TeamsHarness,
} from "../helpers/fake-bot-connector.ts";

const TENANT = "tenant-review";
const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT };
const bo: FakeUser = { id: "29:bo", name: "Bo Berg", tenantId: TENANT };

interface Card {
  version: string;
  body: Json[];
}

function cardOf(call: RecordedCall | undefined): Card {
  const attachments = call?.body?.attachments as Array<{ contentType: string; content: Card }> | undefined;
  const a = attachments?.[0];
  if (a?.contentType !== "application/vnd.microsoft.card.adaptive") throw new Error("not an adaptive card");
  return a.content;
}

/** The card's rows: each TextBlock followed by an ActionSet, with the buttons' titles and data. */
function rowsOf(card: Card) {
  const out: Array<{ text: string; buttons: Array<{ title: string; data: Json }> }> = [];
  card.body.forEach((el, i) => {
    const next = card.body[i + 1] as
      | { type?: string; actions?: Array<{ title: string; data: Json }> }
      | undefined;
    if (el.type === "TextBlock" && String(el.text).includes(".example"))
      out.push({ text: String(el.text), buttons: next?.type === "ActionSet" ? (next.actions ?? []) : [] });
  });
  return out;
}

describe.each(PROVIDERS)("Teams review of who was found on %s", (provider) => {
  let h: TeamsHarness;
  let ws: Workspace;
  const annChat = personalConversationId(ann);
  const reviewCards = () =>
    h.fake.sent(annChat).filter((c) => String(c.body?.summary ?? "").startsWith("Review who we found"));

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT });
    h.fake.addUsers(ann, bo);
    // Installed in a team first: nothing found yet, so no review.
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
    for (const [i, times] of [3, 2, 1].entries())
      for (let k = 0; k < times; k++)
        await h.post(
          activities.channelMessage(
            h.world,
            k % 2 ? bo : ann,
            `Could we ask person${i}@orbit${i}.example about it?`,
          ),
        );
  });
  afterAll(async () => {
    await h?.close();
  });

  it("sends the review card once, when the installer adds the bot with candidates found", async () => {
    expect(reviewCards()).toHaveLength(0);
    expect(await h.post(activities.personalInstall(h.world, ann))).toBe(200);
    expect(reviewCards()).toHaveLength(1);
    // Installed again (an upgrade, a retry): not sent twice.
    expect(await h.post(activities.personalInstall(h.world, ann, "add-upgrade"))).toBe(200);
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    expect(reviewCards()).toHaveLength(1);
    // Bo is not an admin: nothing in his chat.
    expect(h.fake.sent(personalConversationId(bo))).toHaveLength(0);

    const card = cardOf(reviewCards()[0]);
    expect(card.version).toBe("1.5");
    const rows = rowsOf(card);
    expect(rows.map((r) => r.text)).toEqual([
      "**person0@orbit0.example**: 3 mentions by 2 teammates",
      "**person1@orbit1.example**: 2 mentions by 2 teammates",
      "**person2@orbit2.example**: 1 mention by 1 teammate",
    ]);
    expect(rows[0]!.buttons.map((b) => b.title)).toEqual(["Track", "Not external", "Ignore"]);
  });

  it("a button applies to the contact and replaces the card with the row's outcome and Undo", async () => {
    const sent = reviewCards()[0]!;
    const cardId = sent.responseId as string;
    const rows = rowsOf(cardOf(sent));
    const track = rows[0]!.buttons[0]!.data;
    const contactId = String(track.contactId);
    expect(track).toMatchObject({ tio: "review", answer: "track" });

    const before = h.fake.updates(annChat).length;
    expect(await h.post(activities.cardSubmit(h.world, ann, annChat, cardId, track))).toBe(200);
    expect((await h.app.store.getContact(ws.id, contactId))?.status).toBe("tracked");
    const updates = h.fake.updates(annChat).slice(before);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.activityId).toBe(cardId);
    const after = rowsOf(cardOf(updates[0]));
    expect(after[0]!.text).toBe("**person0@orbit0.example**: tracked: prompts and the digest count them.");
    expect(after[0]!.buttons.map((b) => [b.title, b.data.answer])).toEqual([["Undo", "undo"]]);

    expect(
      await h.post(activities.cardSubmit(h.world, ann, annChat, cardId, after[0]!.buttons[0]!.data)),
    ).toBe(200);
    expect((await h.app.store.getContact(ws.id, contactId))?.status).toBe("candidate");
  });

  it("refuses a teammate who is not an admin, and `review` shows it to the admin only", async () => {
    const rows = rowsOf(cardOf(reviewCards()[0]));
    const ignore = rows[1]!.buttons[2]!.data;
    const boChat = personalConversationId(bo);
    expect(await h.post(activities.cardSubmit(h.world, bo, boChat, "forged-card", ignore))).toBe(200);
    expect((await h.app.store.getContact(ws.id, String(ignore.contactId)))?.status).toBe("candidate");
    expect(h.fake.updates(boChat)).toHaveLength(0);
    expect(String(h.fake.sent(boChat).at(-1)?.body?.text)).toContain("Only workspace admins");

    expect(await h.post(activities.personalMessage(h.world, bo, "review"))).toBe(200);
    expect(String(h.fake.sent(boChat).at(-1)?.body?.text)).toContain("Only workspace admins");
    const count = h.fake.sent(annChat).length;
    expect(await h.post(activities.personalMessage(h.world, ann, "review"))).toBe(200);
    const reply = h.fake.sent(annChat).slice(count);
    expect(reply).toHaveLength(1);
    expect(rowsOf(cardOf(reply[0]))).toHaveLength(3);
  });
});
