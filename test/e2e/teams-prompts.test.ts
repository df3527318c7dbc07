// Proactive Teams messages over real HTTP: the core's nudge sweep, follow-ups and weekly digest
// send Adaptive Cards through the Teams ChatPort to the fake Bot Connector; the cards' buttons
// come back as Action.Submit activities POSTed to /api/messages, and the pressed card is replaced.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Member, Nudge, Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  BOT,
  type FakeUser,
  type Json,
  mention,
  personalConversationId,
  type RecordedCall,
  startTeamsHarness,
  type TeamsHarness,
} from "../helpers/fake-bot-connector.ts";

const TENANT = "tenant-acme";
const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT };
const bo: FakeUser = { id: "29:bo", name: "Bo Berg", tenantId: TENANT };
const cy: FakeUser = { id: "29:cy", name: "Cy Chen", tenantId: TENANT };
const gwen: FakeUser = { id: "29:gwen", name: "Gwen Guest", tenantId: TENANT, userRole: "guest" };

function textOf(call: RecordedCall | undefined): string {
  const parts: string[] = [];
  if (typeof call?.body?.text === "string") parts.push(call.body.text);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "TextBlock" && typeof o.text === "string") parts.push(o.text);
      for (const child of Object.values(o)) walk(child);
    }
  };
  walk(call?.body?.attachments);
  return parts.join("\n");
}

interface Card {
  version: string;
  fallbackText?: string;
  body: Json[];
  actions?: Array<{ type: string; title: string; data: Json; mode?: string }>;
}

function cardOf(call: RecordedCall | undefined): Card {
  const attachments = call?.body?.attachments as Array<{ contentType: string; content: Card }> | undefined;
  const a = attachments?.[0];
  if (a?.contentType !== "application/vnd.microsoft.card.adaptive")
    throw new Error(`not an adaptive card: ${JSON.stringify(call?.body)}`);
  return a.content;
}

function refOf(nudge: Pick<Nudge, "messageRef">): { conversationId: string; activityId: string } {
  return JSON.parse(nudge.messageRef ?? "{}") as { conversationId: string; activityId: string };
}

describe.each(PROVIDERS)("Teams prompts and digest on %s", (provider) => {
  let h: TeamsHarness;
  let ws: Workspace;
  let annNudge: Nudge;
  let boNudge: Nudge;
  let boChat: string;

  const member = async (u: FakeUser) => (await h.app.store.getMember(ws.id, u.id)) as Member;
  /** Presses a card button (Action.Submit) and returns what the bot did in that conversation. */
  const press = async (
    u: FakeUser,
    conversationId: string,
    cardId: string,
    value: Json,
    opts: { channel?: boolean } = {},
  ) => {
    const [sent, updated] = [h.fake.sent(conversationId).length, h.fake.updates(conversationId).length];
    expect(await h.post(activities.cardSubmit(h.world, u, conversationId, cardId, value, opts))).toBe(200);
    return {
      sent: h.fake.sent(conversationId).slice(sent),
      updated: h.fake.updates(conversationId).slice(updated),
    };
  };

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT });
    h.fake.addUsers(ann, bo, cy, gwen);
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    expect(await h.post(activities.personalInstall(h.world, ann))).toBe(200);
    ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
    // Ann and Bo each talk about the guest three times this week.
    const earlier = new Date(h.clock.now().getTime() - 3_600_000).toISOString();
    for (const author of [ann, bo, ann, bo, ann, bo]) {
      await h.post(
        activities.channelMessage(h.world, author, "Catch up with <at>Gwen Guest</at>?", {
          mentions: [mention(gwen)],
          timestamp: earlier,
        }),
      );
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it("the nudge sweep delivers lunch prompts as Adaptive Cards, opening a personal chat where there is none", async () => {
    const createdBefore = h.fake.created().length;
    const report = await h.app.service.runNudgeSweep(ws, h.platform.chat);
    expect(report).toMatchObject({ sent: 2, failed: 0 });

    const nudges = await h.app.store.listNudges(ws.id, {});
    const annMember = await member(ann);
    const boMember = await member(bo);
    annNudge = nudges.find((n) => n.memberId === annMember.id) as Nudge;
    boNudge = nudges.find((n) => n.memberId === boMember.id) as Nudge;
    expect(annNudge).toMatchObject({ kind: "lunch", status: "sent" });
    expect(boNudge).toMatchObject({ kind: "lunch", status: "sent" });

    // Ann installed the bot personally: her stored chat is used, no conversation is created.
    const annChat = personalConversationId(ann);
    expect(refOf(annNudge).conversationId).toBe(annChat);
    const annCard = h.fake
      .sent(annChat)
      .find((c) => String(c.body?.summary ?? "").startsWith("Take Gwen Guest to lunch?"));
    expect(annCard).toBeDefined();
    expect(annCard?.activityId).toBeNull(); // a new message, not a reply
    expect(refOf(annNudge).activityId).toBe(annCard?.responseId);
    const card = cardOf(annCard);
    expect(card.version).toBe("1.5");
    // The labels Slack shows; the rarer answers are secondary, under Teams' "…".
    expect(card.actions?.map((a) => [a.title, a.data, a.mode ?? "primary"])).toEqual([
      ["Plan lunch", { tio: "nudge", nudgeId: annNudge.id, action: "plan" }, "primary"],
      ["Snooze 2 weeks", { tio: "nudge", nudgeId: annNudge.id, action: "snooze" }, "secondary"],
      ["Already met", { tio: "nudge", nudgeId: annNudge.id, action: "met" }, "secondary"],
      ["Not an external contact", { tio: "nudge", nudgeId: annNudge.id, action: "not-contact" }, "secondary"],
    ]);
    // The teammates are named once, in the core's reason (the card used to repeat them in a second line).
    expect(textOf(annCard)).toContain(", and Bo Berg talks about them too;");
    expect(textOf(annCard).match(/Bo Berg/g)).toHaveLength(1);
    // The contact's name once, in the title; the privacy line says the command as typed to the bot.
    expect(textOf(annCard).match(/Gwen Guest/g)).toHaveLength(1);
    expect(textOf(annCard)).toContain(
      "Only who mentioned whom is stored, never messages. Pause with **pause**.",
    );

    // Bo never talked to the bot: a 1:1 conversation is created for him, then remembered.
    const created = h.fake.created().slice(createdBefore);
    expect(created).toHaveLength(1);
    expect(created[0]?.body).toMatchObject({
      isGroup: false,
      bot: { id: BOT.id },
      members: [{ id: bo.id }],
      tenantId: TENANT,
    });
    boChat = refOf(boNudge).conversationId;
    expect(boChat).toMatch(/^a:dm-/);
    expect(h.fake.sent(boChat)).toHaveLength(1);
    expect(JSON.parse((await member(bo)).dmRef ?? "{}")).toMatchObject({
      source: "dm",
      conversation: { id: boChat },
    });
  });

  it("Already met replaces the card with the outcome; a second press changes nothing", async () => {
    const annChat = personalConversationId(ann);
    const cardId = refOf(annNudge).activityId;
    const first = await press(ann, annChat, cardId, { tio: "nudge", nudgeId: annNudge.id, action: "met" });
    expect(first.sent).toHaveLength(0);
    expect(first.updated).toHaveLength(1);
    expect(first.updated[0]?.activityId).toBe(cardId);
    expect(cardOf(first.updated[0]).actions).toBeUndefined();
    expect(textOf(first.updated[0])).toContain("you've already met Gwen Guest");
    expect((await h.app.store.getNudge(ws.id, annNudge.id))?.status).toBe("met");
    const meetings = () => h.app.database.db.meeting.count({ where: { workspaceId: ws.id } });
    expect(await meetings()).toBe(1);

    const again = await press(ann, annChat, cardId, { tio: "nudge", nudgeId: annNudge.id, action: "met" });
    expect(textOf(again.updated[0])).toContain("Already handled");
    expect(await meetings()).toBe(1);
  });

  it("someone else's button and a malformed payload are refused", async () => {
    const cyChat = personalConversationId(cy);
    const other = await press(cy, cyChat, "act-x", { tio: "nudge", nudgeId: boNudge.id, action: "met" });
    expect(textOf(other.updated[0])).toContain("meant for someone else");
    expect((await h.app.store.getNudge(ws.id, boNudge.id))?.status).toBe("sent");

    const bad = await press(cy, cyChat, "act-x", { tio: "nudge", nudgeId: boNudge.id, action: "explode" });
    expect(bad.updated).toHaveLength(0);
    expect(textOf(bad.sent[0])).toContain("That button doesn't work any more");
  });

  it("Plan lunch opens a form; its submit plans once, even when pressed twice", async () => {
    const cardId = refOf(boNudge).activityId;
    const opened = await press(bo, boChat, cardId, { tio: "nudge", nudgeId: boNudge.id, action: "plan" });
    const form = cardOf(opened.updated[0]);
    const inputs = form.body.filter((e) => String(e.type).startsWith("Input."));
    expect(inputs.map((e) => [e.type, e.id])).toEqual([
      ["Input.Date", "date"],
      ["Input.Time", "time"],
      ["Input.Text", "place"],
      ["Input.ChoiceSet", "with"],
    ]);
    expect(inputs[0]).toMatchObject({ min: "2026-03-04" });
    // Teammates who also talk about the contact: Ann, preselected as the prompt named her.
    expect(inputs[3]).toMatchObject({
      isMultiSelect: true,
      value: ann.id,
      choices: [{ title: "Ann Admin", value: ann.id }],
    });
    const submitData = form.actions?.[0]?.data ?? {};
    expect(submitData).toEqual({ tio: "lunch", nudgeId: boNudge.id, contactId: boNudge.contactId });
    // Planning hasn't happened yet: the nudge is still open.
    expect((await h.app.store.getNudge(ws.id, boNudge.id))?.status).toBe("sent");

    // The form opens on the next weekday, both date and time required.
    expect(inputs[0]).toMatchObject({ value: "2026-03-05", isRequired: true });
    // A bad date: the form comes back with what was typed and the message under the date; nothing is planned.
    const invalid = await press(bo, boChat, cardId, {
      ...submitData,
      date: "2026-02-30",
      time: "12:45",
      place: "Cafe Nord",
    });
    expect(invalid.sent).toHaveLength(0);
    expect(invalid.updated[0]?.activityId).toBe(cardId);
    const again = cardOf(invalid.updated[0]).body;
    const at = (id: string) => again.findIndex((e) => e.id === id);
    expect(again[at("date")]).toMatchObject({ value: "2026-02-30" });
    expect(again[at("time")]).toMatchObject({ value: "12:45" });
    expect(again[at("place")]).toMatchObject({ value: "Cafe Nord" });
    expect(again[at("date") + 1]).toMatchObject({
      type: "TextBlock",
      color: "Attention",
      text: "2026-02-30 is not a real date: February 2026 has 28 days.",
    });
    expect((await h.app.store.getNudge(ws.id, boNudge.id))?.status).toBe("sent");
    expect(await h.app.database.db.lunch.count({ where: { workspaceId: ws.id } })).toBe(0);

    const values = { ...submitData, date: "2026-03-10", time: "12:30", place: "Cafe Nord", with: ann.id };
    const planned = await press(bo, boChat, cardId, values);
    expect(planned.updated[0]?.activityId).toBe(cardId);
    expect(textOf(planned.updated[0])).toContain(
      "Lunch with Gwen Guest on Tue 10 Mar, 12:30 at Cafe Nord with Ann Admin is planned",
    );
    expect(cardOf(planned.updated[0]).actions).toBeUndefined();
    expect((await h.app.store.getNudge(ws.id, boNudge.id))?.status).toBe("planned");
    const lunches = await h.app.store.listLunches(ws.id, {});
    expect(lunches).toHaveLength(1);
    expect(lunches[0]).toMatchObject({
      organizerId: (await member(bo)).id,
      attendeeIds: [(await member(ann)).id],
      place: "Cafe Nord",
      scheduledFor: new Date("2026-03-10T11:30:00Z"),
    });

    const twice = await press(bo, boChat, cardId, values);
    expect(textOf(twice.updated[0])).toContain("Already handled: a lunch with Gwen Guest is planned");
    expect(await h.app.database.db.lunch.count({ where: { workspaceId: ws.id } })).toBe(1);
  });

  it("Snooze, Not a contact, Track and Ignore each apply once", async () => {
    const cyMember = await member(cy);
    const cyChat = personalConversationId(cy);
    const seed = async (name: string, kind: "lunch" | "candidate") => {
      const contact = await h.app.store.createContact(
        ws.id,
        { displayName: name, status: kind === "lunch" ? "tracked" : "candidate" },
        [{ kind: "name", normalized: name.toLowerCase(), display: name }],
      );
      const nudge = await h.app.store.createNudge(ws.id, {
        memberId: cyMember.id,
        contactId: contact.id,
        kind,
      });
      await h.app.store.transitionNudge(ws.id, nudge.id, ["pending"], {
        status: "sent",
        sentAt: h.clock.now(),
      });
      return { contact, nudge };
    };
    const cases = [
      {
        name: "Sam Snooze",
        kind: "lunch",
        action: "snooze",
        says: "Snoozed",
        nudge: "snoozed",
        contact: "tracked",
      },
      {
        name: "Nora Notcontact",
        kind: "lunch",
        action: "not-contact",
        says: "Hidden for everyone on the team",
        nudge: "dismissed",
        contact: "ignored",
      },
      {
        name: "Tess Track",
        kind: "candidate",
        action: "track",
        says: "Tracking Tess Track",
        nudge: "confirmed",
        contact: "tracked",
      },
      {
        name: "Ivo Ignore",
        kind: "candidate",
        action: "ignore",
        says: "Hidden for everyone on the team",
        nudge: "dismissed",
        contact: "ignored",
      },
    ] as const;
    for (const c of cases) {
      const { contact, nudge } = await seed(c.name, c.kind);
      const cardId = `act-${c.action}`;
      const first = await press(cy, cyChat, cardId, { tio: "nudge", nudgeId: nudge.id, action: c.action });
      expect(first.updated[0]?.activityId).toBe(cardId);
      expect(textOf(first.updated[0])).toContain(c.says);
      // The answered prompt still has something to announce (issue 20 item 9): its outcome.
      expect(String(first.updated[0]?.body?.summary)).toContain(c.says);
      expect(cardOf(first.updated[0]).fallbackText).toContain(c.says);
      const after = await h.app.store.getNudge(ws.id, nudge.id);
      expect(after?.status).toBe(c.nudge);
      if (c.action === "snooze") expect(after?.snoozeUntil).toEqual(new Date("2026-03-18T11:00:00Z"));
      expect((await h.app.store.getContact(ws.id, contact.id))?.status).toBe(c.contact);
      const second = await press(cy, cyChat, cardId, { tio: "nudge", nudgeId: nudge.id, action: c.action });
      expect(textOf(second.updated[0])).toContain("Already handled");
      expect((await h.app.store.getNudge(ws.id, nudge.id))?.status).toBe(c.nudge);
    }
  });

  it("sends the follow-up the day after; Yes records the meeting once", async () => {
    h.clock.set("2026-03-11T10:00:00Z");
    const before = h.fake.sent(boChat).length;
    expect(await h.app.service.runFollowUps(h.server.chatFor)).toEqual({ sent: 1, failed: 0, failures: [] });
    const followUp = h.fake.sent(boChat).slice(before);
    expect(followUp).toHaveLength(1);
    const lunch = (await h.app.store.listLunches(ws.id, {}))[0];
    expect(cardOf(followUp[0]).actions?.map((a) => [a.title, a.data])).toEqual([
      ["Yes, we met", { tio: "followup", lunchId: lunch?.id, answer: "happened" }],
      ["Not yet", { tio: "followup", lunchId: lunch?.id, answer: "later" }],
      ["It's off", { tio: "followup", lunchId: lunch?.id, answer: "off" }],
    ]);
    expect(textOf(followUp[0])).toContain("Did your lunch with Gwen Guest happen?");
    // Bo's chat was remembered: no new conversation.
    expect(h.fake.created()).toHaveLength(1);

    const cardId = "act-followup";
    // Not yet: the lunch stays open, asked about again a week later.
    const later = await press(bo, boChat, cardId, { tio: "followup", lunchId: lunch?.id, answer: "later" });
    expect(textOf(later.updated[0])).toContain("stays open and I'll ask again on");
    // Its one button opens the lunch form for the contact (a date there moves this lunch).
    expect(cardOf(later.updated[0]).actions?.map((a) => [a.title, a.data])).toEqual([
      ["Pick a new date", { tio: "plan", contactId: lunch?.contactId }],
    ]);
    expect(await h.app.store.getLunch(ws.id, lunch?.id ?? "")).toMatchObject({
      status: "scheduled",
      followUpSent: null,
    });
    // A card sent before "Not yet" existed still answers yes / no.
    const yes = await press(bo, boChat, cardId, { tio: "followup", lunchId: lunch?.id, happened: true });
    expect(textOf(yes.updated[0])).toContain("Wonderful");
    expect((await h.app.store.getLunch(ws.id, lunch?.id ?? ""))?.status).toBe("met");
    const meetings = await h.app.database.db.meeting.count({
      where: { workspaceId: ws.id, lunchId: lunch?.id },
    });
    expect(meetings).toBe(2); // Bo and Ann
    const again = await press(bo, boChat, cardId, { tio: "followup", lunchId: lunch?.id, happened: false });
    expect(textOf(again.updated[0])).toContain("Already answered");
    expect((await h.app.store.getLunch(ws.id, lunch?.id ?? ""))?.status).toBe("met");
  });

  it("Not a contact asks first when others discuss the contact; Hide for everyone, then Undo", async () => {
    const cyMember = await member(cy);
    const cyChat = personalConversationId(cy);
    const contact = await h.app.store.createContact(
      ws.id,
      { displayName: "Hana Hidden", status: "tracked" },
      [{ kind: "name", normalized: "hana hidden", display: "Hana Hidden" }],
    );
    // Cy and Ann both talk about her.
    for (const [i, m] of [cyMember, await member(ann)].entries())
      await h.app.store.replaceMentions(
        ws.id,
        `hana-${i}`,
        { memberId: m.id, channelId: "19:general", at: h.clock.now(), source: "message" },
        [contact.id],
      );
    const nudge = await h.app.store.createNudge(ws.id, {
      memberId: cyMember.id,
      contactId: contact.id,
      kind: "lunch",
    });
    await h.app.store.transitionNudge(ws.id, nudge.id, ["pending"], {
      status: "sent",
      sentAt: h.clock.now(),
    });
    const cardId = "act-hide";
    const status = async () => (await h.app.store.getContact(ws.id, contact.id))?.status;

    const asked = await press(cy, cyChat, cardId, { tio: "nudge", nudgeId: nudge.id, action: "not-contact" });
    expect(textOf(asked.updated[0])).toContain("Hide Hana Hidden for everyone?");
    expect(textOf(asked.updated[0])).toContain("1 other teammate talks about Hana Hidden");
    expect(cardOf(asked.updated[0]).actions?.map((a) => [a.title, a.data])).toEqual([
      ["Hide for everyone", { tio: "nudge", nudgeId: nudge.id, action: "hide" }],
      ["Cancel", { tio: "nudge", nudgeId: nudge.id, action: "keep" }],
    ]);
    expect(await status()).toBe("tracked");

    const kept = await press(cy, cyChat, cardId, { tio: "nudge", nudgeId: nudge.id, action: "keep" });
    expect(textOf(kept.updated[0])).toContain("Take Hana Hidden to lunch?");
    expect(await status()).toBe("tracked");

    const hidden = await press(cy, cyChat, cardId, { tio: "nudge", nudgeId: nudge.id, action: "hide" });
    expect(textOf(hidden.updated[0])).toContain(
      "Hidden for everyone on the team: nobody will be prompted about Hana Hidden",
    );
    expect(String(hidden.updated[0]?.body?.summary)).toContain("Hidden for everyone");
    expect(cardOf(hidden.updated[0]).actions?.map((a) => a.title)).toEqual(["Undo"]);
    expect(await status()).toBe("ignored");

    // Someone else's Undo is refused; Cy's gives her back to the team, and the prompt back.
    await press(bo, personalConversationId(bo), "x", { tio: "nudge", nudgeId: nudge.id, action: "undo" });
    expect(await status()).toBe("ignored");
    const undone = await press(cy, cyChat, cardId, { tio: "nudge", nudgeId: nudge.id, action: "undo" });
    expect(textOf(undone.updated[0])).toContain("Take Hana Hidden to lunch?");
    expect(await status()).toBe("tracked");
    expect((await h.app.store.getNudge(ws.id, nudge.id))?.status).toBe("sent");
  });

  it("home shows the personal view as a card; its pause buttons say when the pause ends", async () => {
    const cyChat = personalConversationId(cy);
    const before = h.fake.sent(cyChat).length;
    expect(await h.post(activities.personalMessage(h.world, cy, "home"))).toBe(200);
    const [home] = h.fake.sent(cyChat).slice(before);
    const card = cardOf(home);
    expect(textOf(home)).toContain("Waiting for your answer");
    expect(textOf(home)).toContain("Prompts are on, in your working hours.");
    expect(card.actions?.map((a) => [a.title, a.data, a.mode ?? null])).toEqual([
      ["Pause 1 week", { tio: "pause", days: 7 }, null],
      ["Pause 4 weeks", { tio: "pause", days: 28 }, "secondary"],
      ["Pause until I resume", { tio: "pause", days: null }, "secondary"],
    ]);
    const paused = await press(cy, cyChat, "act-home", { tio: "pause", days: 7 });
    expect(textOf(paused.updated[0])).toMatch(/Prompts are paused until \w{3} \d+ \w{3}, \d\d:\d\d\./);
    expect((await member(cy)).pausedUntil).toEqual(new Date(h.clock.now().getTime() + 7 * 86_400_000));
    const resumed = await press(cy, cyChat, "act-home", { tio: "resume" });
    expect(textOf(resumed.updated[0])).toContain("Prompts are on");
    expect((await member(cy)).paused).toBe(false);
    // A forged duration is refused before it reaches the core.
    await press(cy, cyChat, "act-home", { tio: "pause", days: 9999 });
    expect((await member(cy)).paused).toBe(false);
  });

  it("forget-me asks first on a card; Cancel keeps everything, Delete my data deletes", async () => {
    const gwenChat = personalConversationId(ann);
    const before = h.fake.sent(gwenChat).length;
    expect(await h.post(activities.personalMessage(h.world, ann, "forget-me"))).toBe(200);
    const [asked] = h.fake.sent(gwenChat).slice(before);
    expect(textOf(asked)).toContain("Delete everything about you?");
    const annId = (await member(ann)).id;
    expect(cardOf(asked).actions?.map((a) => a.data)).toEqual([
      { tio: "forget-me", confirm: true, memberId: annId },
      { tio: "forget-me", confirm: false, memberId: annId },
    ]);
    expect((await member(ann)).optedOut).toBe(false);
    // Someone else answering Ann's question deletes nothing, theirs or hers.
    const notYours = await press(cy, personalConversationId(cy), "act-forget", {
      tio: "forget-me",
      confirm: true,
      memberId: annId,
    });
    expect(textOf(notYours.sent[0])).toContain("meant for someone else");
    expect((await member(cy)).optedOut).toBe(false);
    const kept = await press(ann, gwenChat, "act-forget", {
      tio: "forget-me",
      confirm: false,
      memberId: annId,
    });
    expect(textOf(kept.updated[0])).toContain("Nothing was deleted");
    expect((await member(ann)).optedOut).toBe(false);
    const done = await press(ann, gwenChat, "act-forget", {
      tio: "forget-me",
      confirm: true,
      memberId: annId,
    });
    expect(textOf(done.updated[0])).toContain("I deleted everything I had about you");
    expect((await member(ann)).optedOut).toBe(true);
  });

  it("posts the weekly digest as a new Adaptive Card post in the digest channel, once", async () => {
    const before = h.fake.sent(h.world.generalId).length;
    const first = await h.app.service.postWeeklyDigest(ws, h.platform.chat, "2026-W10");
    expect(first.posted).toBe(true);
    const posts = h.fake.sent(h.world.generalId).slice(before);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.activityId).toBeNull();
    expect(posts[0]?.body?.channelData).toEqual({ takeItOffline: { digestKey: `${ws.id}:2026-W10` } });
    const card = cardOf(posts[0]);
    expect(card.version).toBe("1.5");
    const text = textOf(posts[0]);
    expect(text).toContain("Take it offline — week 10");
    expect(text).toContain("Offline coverage");
    expect(JSON.stringify(card)).toContain("Gwen Guest");
    const row = await h.app.store.getDigest(ws.id, "2026-W10");
    expect(row?.status).toBe("posted");
    expect(JSON.parse(row?.messageRef ?? "{}")).toEqual({
      conversationId: h.world.generalId,
      activityId: expect.stringMatching(/^act-/),
    });

    expect((await h.app.service.postWeeklyDigest(ws, h.platform.chat, "2026-W10")).posted).toBe(false);
    expect(h.fake.sent(h.world.generalId).length).toBe(before + 1);
  });

  it("the digest's Plan lunch sends the lunch form for that contact; the digest stays as it is", async () => {
    const gwenContact = await h.app.database.db.contact.findFirstOrThrow({
      where: { workspaceId: ws.id, displayName: "Gwen Guest" },
    });
    expect(gwenContact.status).toBe("tracked");
    // The button's data, as the digest's renderer (teams/render-doc.ts) writes it beside the contact.
    const data = { tio: "plan", contactId: gwenContact.id };
    const sentBefore = h.fake.sent().length;
    const { sent: inChannel, updated } = await press(cy, h.world.generalId, "act-digest", data, {
      channel: true,
    });
    // The digest is not replaced, and the channel gets nothing: the form goes to Cy's own chat.
    expect(updated).toHaveLength(0);
    expect(inChannel).toHaveLength(0);
    // Cy's personal chat: stored, or opened for this.
    const cyChat = (JSON.parse((await member(cy)).dmRef ?? "{}") as { conversation?: { id?: string } })
      .conversation?.id;
    expect(cyChat).toBeTruthy();
    const sent = h.fake.sent().slice(sentBefore);
    expect(sent.map((c) => c.conversationId)).toEqual([cyChat]);
    const form = cardOf(sent[0]);
    expect(textOf(sent[0])).toContain("Plan lunch with Gwen Guest");
    expect(form.actions?.[0]?.data).toEqual({ tio: "lunch", nudgeId: null, contactId: gwenContact.id });
    expect(String(sent[0]?.body?.summary)).toBe("Plan lunch with Gwen Guest");

    // Not a tracked contact (a crafted click): no form.
    const other = await press(cy, personalConversationId(cy), "act-x", { tio: "plan", contactId: "nope" });
    expect(textOf(other.sent[0])).toContain("isn't tracked");
  });

  it("fails clearly when there is no way to reach a member or a channel", async () => {
    const other = await h.app.store.upsertWorkspace({
      platform: "teams",
      externalId: "tenant-empty",
      name: "Empty",
    });
    const lonely = await h.app.store.upsertMember(other.id, {
      platformUserId: "29:lonely",
      displayName: "Lonely",
    });
    const prompt = { kind: "follow-up", lunchId: "l1", contactName: "X", when: null, place: null } as const;
    await expect(h.platform.chat.sendPrompt(other, lonely, prompt)).rejects.toThrow(
      /no conversation with 29:lonely/,
    );
    const view = await h.app.service.digestView(other);
    await expect(h.platform.chat.postDigest(other, "19:unknown@thread.tacv2", view, "k")).rejects.toThrow(
      /No conversation reference/,
    );
  });
});
