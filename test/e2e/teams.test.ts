// The Teams bot over real HTTP: Bot Framework activities are POSTed to /api/messages on the real
// server (startServer), botbuilder's CloudAdapter runs with auth disabled, and every outbound call
// goes to a local fake Bot Connector (the activities' serviceUrl). Assertions are on HTTP status,
// the connector calls the fake recorded, and database rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUBCOMMANDS } from "../../src/core/commands.ts";
import type { Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  BOT,
  type FakeUser,
  type Json,
  mention,
  messageId,
  personalConversationId,
  type RecordedCall,
  startTeamsHarness,
  type TeamsHarness,
} from "../helpers/fake-bot-connector.ts";

const TENANT = "tenant-acme";
const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT, email: "ann@acme.example" };
const bo: FakeUser = { id: "29:bo", name: "Bo Berg", tenantId: TENANT, email: "bo@acme.example" };
const cy: FakeUser = { id: "29:cy", name: "Cy Chen", tenantId: TENANT, email: "cy@acme.example" };
const gwen: FakeUser = {
  id: "29:gwen",
  name: "Gwen Guest",
  tenantId: TENANT,
  userRole: "guest",
  email: "gwen@partner.example",
};
const otto: FakeUser = {
  id: "29:otto",
  name: "Otto Other",
  tenantId: "tenant-other",
  email: "otto@other.example",
};

/** Text of a sent message, or of every TextBlock of its Adaptive Card. */
function textOf(call: RecordedCall | undefined): string {
  const body = call?.body ?? {};
  const parts: string[] = [];
  if (typeof body.text === "string") parts.push(body.text);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "TextBlock" && typeof o.text === "string") parts.push(o.text);
      for (const child of Object.values(o)) walk(child);
    }
  };
  walk(body.attachments);
  return parts.join("\n");
}

function cardOf(call: RecordedCall | undefined): Json | null {
  const attachments = call?.body?.attachments;
  if (!Array.isArray(attachments)) return null;
  const a = attachments[0] as { contentType?: string; content?: Json } | undefined;
  return a?.contentType === "application/vnd.microsoft.card.adaptive" ? (a.content ?? null) : null;
}

describe.each(PROVIDERS)("Teams bot over HTTP on %s", (provider) => {
  let h: TeamsHarness;
  let ws: Workspace;

  const last = (conversationId?: string) => h.fake.sent(conversationId).at(-1);
  /** Sends a personal-chat command and returns what the bot answered. */
  const command = async (user: FakeUser, text: string, mentions: Json[] = []) => {
    const before = h.fake.sent().length;
    expect(await h.post(activities.personalMessage(h.world, user, text, { mentions }))).toBe(200);
    const replies = h.fake.sent().slice(before);
    expect(replies).toHaveLength(1);
    return replies[0] as RecordedCall;
  };

  beforeAll(async () => {
    // Cy is an admin by configuration (AAD object id), not because Cy installed the bot.
    h = await startTeamsHarness(provider, { tenantId: TENANT, env: { TEAMS_ADMIN_IDS: `aad-${cy.id}` } });
    h.fake.addUsers(ann, bo, cy, gwen, otto);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("answers 405 to GET and 400 to a body that is not a JSON object", async () => {
    expect((await fetch(h.url)).status).toBe(405);
    const bad = await fetch(h.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    const array = await fetch(h.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "[]",
    });
    expect(array.status).toBe(400);
    expect(await h.app.store.findWorkspace("teams", TENANT)).toBeNull();
  });

  it("acknowledges activities it doesn't act on (other types, other channels) without doing anything", async () => {
    const typing = { ...activities.personalMessage(h.world, ann, "x"), type: "typing" };
    expect(await h.post(typing)).toBe(200);
    expect(await h.post({ ...activities.personalMessage(h.world, ann, "help"), channelId: "webchat" })).toBe(
      200,
    );
    expect(h.fake.calls).toHaveLength(0);
    expect(await h.app.store.findWorkspace("teams", TENANT)).toBeNull();
  });

  it("installs into a team: workspace, General channel reference, roster, admin installer, one welcome", async () => {
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    // Teams also sends conversationUpdate(membersAdded: bot) for the same install: no second welcome.
    expect(await h.post(activities.botAddedToTeam(h.world, ann))).toBe(200);

    const found = await h.app.store.findWorkspace("teams", TENANT);
    expect(found).toMatchObject({
      platform: "teams",
      externalId: TENANT,
      name: "Acme Sales",
      timezone: "Europe/Berlin",
    });
    ws = found as Workspace;
    expect(ws.digestChannel).toBe(h.world.generalId);

    const channels = await h.app.database.db.channel.findMany({ where: { workspaceId: ws.id } });
    expect(channels).toHaveLength(1);
    expect(channels[0]?.platformChannelId).toBe(h.world.generalId);
    const ref = JSON.parse(channels[0]?.ref ?? "{}") as Json;
    expect(ref).toMatchObject({
      source: "team",
      teamId: h.world.teamId,
      serviceUrl: h.world.serviceUrl,
      bot: { id: BOT.id },
      conversation: { id: h.world.generalId },
    });

    // Roster: teammates are members (the installer marked so: they administer the bot); the guest
    // and the other tenant are not.
    const members = await h.app.store.listMembers(ws.id);
    expect(members.map((m) => m.platformUserId).sort()).toEqual([ann.id, bo.id, cy.id]);
    expect(members.find((m) => m.platformUserId === ann.id)).toMatchObject({
      isInstaller: true,
      tz: "Europe/Berlin",
      displayName: "Ann Admin",
    });
    expect(members.find((m) => m.platformUserId === bo.id)).toMatchObject({
      isAdmin: false,
      isInstaller: false,
    });
    expect(
      h.fake.calls.some(
        (c) => c.method === "GET" && c.path === `/v3/conversations/${h.world.teamId}/pagedmembers`,
      ),
    ).toBe(true);

    const welcome = h.fake.sent(h.world.generalId);
    expect(welcome).toHaveLength(1);
    expect(textOf(welcome[0])).toContain("Thanks for adding Take It Offline");
  });

  it("installs personally: stores the personal chat reference and says hello once", async () => {
    expect(await h.post(activities.personalInstall(h.world, ann))).toBe(200);
    expect(await h.post(activities.personalInstall(h.world, ann))).toBe(200);
    const member = await h.app.store.getMember(ws.id, ann.id);
    expect(JSON.parse(member?.dmRef ?? "{}")).toMatchObject({
      source: "personal",
      conversation: { id: personalConversationId(ann), conversationType: "personal" },
      user: { id: ann.id },
    });
    expect(h.fake.sent(personalConversationId(ann))).toHaveLength(1);
  });

  it("tracks channel messages without an @mention: HTML stripped, guests and other tenants are external contacts", async () => {
    const id = messageId();
    const status = await h.post(
      activities.channelMessage(
        h.world,
        bo,
        "<p>Lunch with <at>Gwen Guest</at> and <at>Cy Chen</at>? Also mail <a href='mailto:jane@globex.example'>jane@globex.example</a> &amp; ping <at>Otto Other</at></p>",
        { id, mentions: [mention(gwen), mention(cy), mention(otto)] },
      ),
    );
    expect(status).toBe(200);
    const messageKey = `${h.world.generalId}:${id}`;
    const rows = await h.app.database.db.mention.findMany({
      where: { workspaceId: ws.id, messageId: messageKey },
      include: { contact: true },
    });
    const byName = rows.map((r) => r.contact.displayName).sort();
    expect(byName).toEqual(["Gwen Guest", "Otto Other", "jane@globex.example"].sort());
    const gwenContact = await h.app.store.findContactByPlatformUser(ws.id, gwen.id);
    expect(gwenContact).toMatchObject({ status: "tracked", displayName: "Gwen Guest" });
    expect(await h.app.store.findContactByPlatformUser(ws.id, otto.id)).toMatchObject({ status: "tracked" });
    // The teammate mention is not a contact; the author is the member who spoke.
    expect(await h.app.store.findContactByPlatformUser(ws.id, cy.id)).toBeNull();
    const boMember = await h.app.store.getMember(ws.id, bo.id);
    expect(rows.every((r) => r.memberId === boMember?.id && r.channelId === h.world.generalId)).toBe(true);
    // No reply in the channel: tracking is silent.
    expect(h.fake.sent(`${h.world.generalId};messageid=${id}`)).toHaveLength(0);

    // A guest's own message creates no mentions and no member.
    const guestMsg = messageId();
    expect(
      await h.post(activities.channelMessage(h.world, gwen, "Looking forward to it!", { id: guestMsg })),
    ).toBe(200);
    expect(
      await h.app.database.db.mention.count({ where: { messageId: `${h.world.generalId}:${guestMsg}` } }),
    ).toBe(0);
    expect(await h.app.store.getMember(ws.id, gwen.id)).toBeNull();
  });

  it("ignores a redelivered activity (same id) and records it once in the inbox", async () => {
    const id = messageId();
    const activity = activities.channelMessage(h.world, cy, "Talked to <at>Gwen Guest</at> again", {
      id,
      mentions: [mention(gwen)],
    });
    expect(await h.post(activity)).toBe(200);
    const callsAfterFirst = h.fake.calls.length;
    expect(await h.post(activity)).toBe(200);
    expect(h.fake.calls.length).toBe(callsAfterFirst);
    const events = await h.app.database.db.processedEvent.findMany({ where: { key: { contains: id } } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: "done", workspaceId: ws.id });
    // Only ids are kept, never the message text.
    expect(events[0]?.payload ?? "").not.toContain("Talked");
    expect(
      await h.app.database.db.mention.count({ where: { messageId: `${h.world.generalId}:${id}` } }),
    ).toBe(1);
  });

  it("re-detects an edited message and removes the mentions of a deleted one", async () => {
    const id = messageId();
    const key = `${h.world.generalId}:${id}`;
    await h.post(
      activities.channelMessage(h.world, bo, "Coffee with <at>Gwen Guest</at>?", {
        id,
        mentions: [mention(gwen)],
      }),
    );
    const gwenContact = await h.app.store.findContactByPlatformUser(ws.id, gwen.id);
    expect(
      (await h.app.database.db.mention.findMany({ where: { messageId: key } })).map((m) => m.contactId),
    ).toEqual([gwenContact?.id]);

    expect(
      await h.post(
        activities.messageEdit(h.world, bo, id, "Coffee with <at>Otto Other</at> instead", {
          mentions: [mention(otto)],
        }),
      ),
    ).toBe(200);
    const ottoContact = await h.app.store.findContactByPlatformUser(ws.id, otto.id);
    expect(
      (await h.app.database.db.mention.findMany({ where: { messageId: key } })).map((m) => m.contactId),
    ).toEqual([ottoContact?.id]);

    expect(await h.post(activities.messageDelete(h.world, bo, id))).toBe(200);
    expect(await h.app.database.db.mention.count({ where: { messageId: key } })).toBe(0);
  });

  it("remembers channels created later, and tracks messages posted in them", async () => {
    const channel = { id: "19:deals@thread.tacv2", name: "Deals" };
    expect(await h.post(activities.channelCreated(h.world, ann, channel))).toBe(200);
    const row = await h.app.database.db.channel.findFirst({
      where: { workspaceId: ws.id, platformChannelId: channel.id },
    });
    expect(row?.name).toBe("Deals");
    expect(JSON.parse(row?.ref ?? "{}")).toMatchObject({
      source: "team",
      teamId: h.world.teamId,
      conversation: { id: channel.id },
    });
    const id = messageId();
    await h.post(
      activities.channelMessage(h.world, cy, "Call <at>Gwen Guest</at>", {
        id,
        channelId: channel.id,
        mentions: [mention(gwen)],
      }),
    );
    expect(
      await h.app.database.db.mention.count({
        where: { messageId: `${channel.id}:${id}`, channelId: channel.id },
      }),
    ).toBe(1);
  });

  it("adds people who join the team as members, but not guests", async () => {
    const dee: FakeUser = { id: "29:dee", name: "Dee Dunn", tenantId: TENANT };
    const gus: FakeUser = { id: "29:gus", name: "Gus Guest", tenantId: TENANT, userRole: "guest" };
    h.fake.addUsers(dee, gus);
    expect(await h.post(activities.membersAdded(h.world, ann, [dee, gus]))).toBe(200);
    expect(await h.app.store.getMember(ws.id, dee.id)).toMatchObject({ displayName: "Dee Dunn" });
    expect(await h.app.store.getMember(ws.id, gus.id)).toBeNull();
  });

  describe("commands", () => {
    it("help lists every command without the Slack prefix", async () => {
      const reply = await command(bo, "help");
      const text = textOf(reply);
      for (const sub of SUBCOMMANDS) expect(text).toContain(sub);
      expect(text).not.toContain("/offline");
      expect(reply.body).toMatchObject({ textFormat: "markdown", replyToId: expect.any(String) });
      expect(textOf(await command(bo, "help lunch"))).toContain("lunch CONTACT");
      // An empty message (just the @mention in a chat) shows help too.
      expect(textOf(await command(bo, ""))).toContain("track NAME");
    });

    it("track, contacts, met, untrack and ignore work on the shared contact registry", async () => {
      expect(textOf(await command(bo, "track Jane Doe, jane@globex.example, @janedoe"))).toContain(
        "Tracking Jane Doe",
      );
      const jane = await h.app.store.findContactByAlias(ws.id, "jane@globex.example");
      expect(jane).toMatchObject({ displayName: "Jane Doe", status: "tracked" });

      // A mention of a guest: tracked by platform identity.
      const viaMention = await command(bo, "track <at>Gwen Guest</at>", [mention(gwen)]);
      expect(textOf(viaMention)).toContain("Tracking Gwen Guest");
      // A teammate mention is refused.
      expect(textOf(await command(bo, "track <at>Cy Chen</at>", [mention(cy)]))).toContain("is on your team");

      expect(textOf(await command(bo, "contacts"))).toContain("Gwen Guest");
      expect(textOf(await command(bo, "met Jane Doe"))).toContain("Noted: you met Jane Doe");
      const meetings = await h.app.database.db.meeting.findMany({
        where: { workspaceId: ws.id, contactId: jane?.id },
      });
      expect(meetings).toHaveLength(1);

      expect(textOf(await command(bo, "untrack jane@globex.example"))).toContain("Stopped tracking Jane Doe");
      expect((await h.app.store.getContact(ws.id, jane?.id ?? ""))?.status).toBe("ignored");
      expect(textOf(await command(bo, "track Jane Doe"))).toContain("Tracking Jane Doe");
      expect(textOf(await command(bo, "ignore Jane Doe"))).toContain("Hidden for everyone on the team");
      expect(textOf(await command(bo, "untrack Nobody Known"))).toContain("I don't know");
    });

    it("lunch plans with teammates named by @mention, and tells them", async () => {
      const boChat = personalConversationId(bo);
      const [cyBefore, boBefore] = [
        h.fake.sent(personalConversationId(cy)).length,
        h.fake.sent(boChat).length,
      ];
      expect(
        await h.post(
          activities.personalMessage(
            h.world,
            cy,
            "lunch <at>Gwen Guest</at> on 2026-03-10 12:30 at Cafe Nord with <at>Bo Berg</at>",
            { mentions: [mention(gwen), mention(bo)] },
          ),
        ),
      ).toBe(200);
      const FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent";
      const isFile = (c: (typeof replies)[number] | undefined) =>
        (c?.body?.attachments as Array<{ contentType: string }> | undefined)?.[0]?.contentType ===
        FILE_CONSENT;
      const replies = h.fake.sent(personalConversationId(cy)).slice(cyBefore);
      // The reply, and the organizer's .ics as a file consent card.
      expect(replies).toHaveLength(2);
      expect(replies.filter(isFile)).toHaveLength(1);
      expect(replies.map((r) => textOf(r)).join("\n")).toContain(
        "Lunch with Gwen Guest on Tue 10 Mar, 12:30 at Cafe Nord with Bo Berg is planned",
      );
      // The attendee is told too (before, only Slack's modal did that), and gets the .ics.
      const told = h.fake.sent(boChat).slice(boBefore);
      expect(told).toHaveLength(2);
      expect(isFile(told[1])).toBe(true);
      expect(textOf(told[0])).toContain(
        "Cy Chen planned lunch with Gwen Guest on Tue 10 Mar, 12:30 at Cafe Nord and added you.",
      );
      const cyMember = await h.app.store.getMember(ws.id, cy.id);
      const lunches = await h.app.store.listLunches(ws.id, { memberId: cyMember?.id });
      expect(lunches).toHaveLength(1);
      const boMember = await h.app.store.getMember(ws.id, bo.id);
      expect(lunches[0]).toMatchObject({
        place: "Cafe Nord",
        attendeeIds: [boMember?.id],
        scheduledFor: new Date("2026-03-10T11:30:00Z"),
      });
    });

    it("pause, resume and stats", async () => {
      expect(textOf(await command(cy, "pause 2w"))).toMatch(/Paused until Wed 18 Mar, \d\d:\d\d \(14 days\)/);
      expect((await h.app.store.getMember(ws.id, cy.id))?.pausedUntil).toEqual(
        new Date("2026-03-18T11:00:00Z"),
      );
      expect(textOf(await command(cy, "resume"))).toContain("Welcome back");
      expect(await h.app.store.getMember(ws.id, cy.id)).toMatchObject({ paused: false, pausedUntil: null });
      expect(textOf(await command(cy, "stats"))).toContain("Last 30 days");
    });

    it("digest preview is an Adaptive Card 1.5; digest now needs an admin and posts to the digest channel", async () => {
      const preview = await command(bo, "digest");
      const card = cardOf(preview);
      expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5" });
      // Plain `digest` shows the last complete week.
      expect(textOf(preview)).toContain("Take it offline — week 9");
      // For clients that can't draw the card, and for notifications (issue 20 item 9).
      expect((card as { fallbackText?: string }).fallbackText).toContain("Take it offline — week 9");
      expect(String(preview?.body?.summary ?? "")).not.toBe("");
      expect(textOf(await command(bo, "digest now"))).toContain("Only workspace admins");

      const before = h.fake.sent(h.world.generalId).length;
      const annChat = personalConversationId(ann);
      expect(await h.post(activities.personalMessage(h.world, ann, "digest now"))).toBe(200);
      expect(textOf(last(annChat))).toContain("Posted the digest for 2026-W09");
      const posted = h.fake.sent(h.world.generalId).slice(before);
      expect(posted).toHaveLength(1);
      // A new post (not a reply to anything) carrying the digest key.
      expect(posted[0]?.activityId).toBeNull();
      expect(posted[0]?.body?.channelData).toEqual({ takeItOffline: { digestKey: `${ws.id}:2026-W09` } });
      expect(cardOf(posted[0])).toMatchObject({ version: "1.5" });
      expect(await h.app.store.getDigest(ws.id, "2026-W09")).toMatchObject({ status: "posted" });
      expect(textOf(await command(ann, "digest now"))).toContain("was already posted");
      expect(h.fake.sent(h.world.generalId).length).toBe(before + 1);
    });

    it("settings: refused to non-admins; a form for admins whose submit saves validated settings", async () => {
      expect(textOf(await command(bo, "settings"))).toContain("Only workspace admins");
      const form = await command(ann, "settings");
      const card = cardOf(form) as { body: Json[]; actions: Json[] };
      const ids = card.body.map((e) => e.id).filter(Boolean);
      expect(ids).toEqual(
        expect.arrayContaining([
          "digestChannel",
          "digestDay",
          "digestHour",
          "timezone",
          "mentionThreshold",
          "workingDays",
          "internalDomains",
        ]),
      );
      expect(card.actions[0]).toMatchObject({ type: "Action.Submit", data: { tio: "settings" } });

      const conv = personalConversationId(ann);
      const cardId = "act-settings-card";
      // Invalid: the form comes back with the errors, nothing is saved.
      await h.post(
        activities.cardSubmit(h.world, ann, conv, cardId, {
          tio: "settings",
          timezone: "Mars/Olympus",
          workingHourStart: "17",
          workingHourEnd: "9",
        }),
      );
      const rejected = h.fake.updates(conv).at(-1);
      expect(rejected?.activityId).toBe(cardId);
      expect(textOf(rejected)).toContain("Mars/Olympus is not a time zone");
      expect(textOf(rejected)).toContain("Working hours must start before they end");
      expect((await h.app.store.getWorkspace(ws.id))?.timezone).toBe("Europe/Berlin");

      // A non-admin's submit is refused even with a valid payload.
      await h.post(
        activities.cardSubmit(h.world, bo, personalConversationId(bo), cardId, {
          tio: "settings",
          digestDay: "5",
        }),
      );
      expect(textOf(last(personalConversationId(bo)))).toContain("Only the person who installed");
      expect((await h.app.store.getWorkspace(ws.id))?.digestDay).toBe(1);

      await h.post(
        activities.cardSubmit(h.world, ann, conv, cardId, {
          tio: "settings",
          digestChannel: h.world.generalId,
          digestDay: "5",
          digestHour: "10",
          timezone: "Europe/Paris",
          mentionThreshold: "4",
          weeklyCapPerMember: "1",
          workingDays: "1,2,3,4,5",
          workingHourStart: "9",
          workingHourEnd: "17",
          internalDomains: "acme.example, @acme-labs.example",
        }),
      );
      expect(textOf(h.fake.updates(conv).at(-1))).toContain("Settings saved");
      const saved = await h.app.store.getWorkspace(ws.id);
      expect(saved).toMatchObject({
        digestDay: 5,
        digestHour: 10,
        timezone: "Europe/Paris",
        digestChannel: h.world.generalId,
      });
      expect(saved?.settings).toMatchObject({
        mentionThreshold: 4,
        weeklyCapPerMember: 1,
        workingDays: [1, 2, 3, 4, 5],
        workingHourStart: 9,
        workingHourEnd: 17,
        internalDomains: ["acme.example", "acme-labs.example"],
      });
    });

    it("a configured admin (TEAMS_ADMIN_IDS, by AAD object id) may open settings too", async () => {
      const form = await command(cy, "settings");
      expect(cardOf(form)).toMatchObject({ type: "AdaptiveCard", actions: [{ data: { tio: "settings" } }] });
      expect((await h.app.store.getMember(ws.id, cy.id))?.isAdmin).toBe(false);
    });

    it("in a channel, only messages that @mention the bot are commands, answered in the thread and not tracked", async () => {
      const id = messageId();
      const status = await h.post(
        activities.channelMessage(h.world, bo, "<at>Take It Offline</at> contacts all", {
          id,
          mentions: [mention(BOT)],
        }),
      );
      expect(status).toBe(200);
      const reply = h.fake.sent(`${h.world.generalId};messageid=${id}`);
      expect(reply).toHaveLength(1);
      expect(reply[0]?.activityId).toBe(id);
      expect(textOf(reply[0])).toContain("Most discussed contacts");
      expect(
        await h.app.database.db.mention.count({ where: { messageId: `${h.world.generalId}:${id}` } }),
      ).toBe(0);
    });

    it("home in a channel goes to the person's own chat, never to the channel", async () => {
      const id = messageId();
      const personal = personalConversationId(bo);
      const before = h.fake.sent(personal).length;
      expect(
        await h.post(
          activities.channelMessage(h.world, bo, "<at>Take It Offline</at> home", {
            id,
            mentions: [mention(BOT)],
          }),
        ),
      ).toBe(200);
      const inChannel = h.fake.sent(`${h.world.generalId};messageid=${id}`);
      expect(inChannel).toHaveLength(1);
      expect(textOf(inChannel[0])).toContain("I sent that to our personal chat.");
      expect(textOf(inChannel[0])).not.toContain("Waiting for your answer");
      const [home] = h.fake.sent(personal).slice(before);
      expect(textOf(home)).toContain("Waiting for your answer");
    });

    it("refuses commands from guests", async () => {
      const reply = await command(gwen, "contacts");
      expect(textOf(reply)).toContain("guests can't use");
    });

    it("forget-me deletes the member's data and stops tracking them", async () => {
      const dee = await h.app.store.getMember(ws.id, "29:dee");
      expect(dee).not.toBeNull();
      const id = messageId();
      await h.post(
        activities.channelMessage(h.world, { id: "29:dee", name: "Dee Dunn" }, "Met <at>Gwen Guest</at>", {
          id,
          mentions: [mention(gwen)],
        }),
      );
      expect(await h.app.database.db.mention.count({ where: { memberId: dee?.id } })).toBe(1);
      expect(textOf(await command({ id: "29:dee", name: "Dee Dunn" }, "forget-me confirm"))).toContain(
        "I deleted everything",
      );
      expect(await h.app.database.db.mention.count({ where: { memberId: dee?.id } })).toBe(0);
      expect((await h.app.store.getMember(ws.id, "29:dee"))?.optedOut).toBe(true);
      const later = messageId();
      await h.post(
        activities.channelMessage(h.world, { id: "29:dee", name: "Dee Dunn" }, "Met <at>Gwen Guest</at>", {
          id: later,
          mentions: [mention(gwen)],
        }),
      );
      expect(
        await h.app.database.db.mention.count({ where: { messageId: `${h.world.generalId}:${later}` } }),
      ).toBe(0);
    });
  });

  it("uninstalling from the last team (and personal chats) deletes the tenant's data", async () => {
    // Ann still has the bot installed personally: removing the team keeps the workspace.
    expect(await h.post(activities.botRemovedFromTeam(h.world, ann))).toBe(200);
    expect(await h.app.store.getWorkspace(ws.id)).not.toBeNull();
    expect(await h.app.database.db.channel.count({ where: { workspaceId: ws.id } })).toBe(0);
    expect((await h.app.store.getWorkspace(ws.id))?.digestChannel).toBeNull();

    expect(await h.post(activities.personalInstall(h.world, ann, "remove"))).toBe(200);
    expect(await h.app.store.getWorkspace(ws.id)).toBeNull();
    const db = h.app.database.db;
    const counts = await Promise.all([
      db.member.count({ where: { workspaceId: ws.id } }),
      db.contact.count({ where: { workspaceId: ws.id } }),
      db.mention.count({ where: { workspaceId: ws.id } }),
      db.lunch.count({ where: { workspaceId: ws.id } }),
      db.processedEvent.count({ where: { workspaceId: ws.id } }),
    ]);
    expect(counts).toEqual([0, 0, 0, 0, 0]);
  });
});

describe.each(PROVIDERS)("Teams authentication on %s", (provider) => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness(provider, {
      env: {
        MICROSOFT_APP_ID: "00000000-0000-0000-0000-00000000b07a",
        MICROSOFT_APP_PASSWORD: "not-a-real-secret",
        TEAMS_ALLOW_UNAUTHENTICATED: "false",
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("rejects activities without a valid Bot Framework token with 401 and does nothing", async () => {
    const install = activities.teamInstall(h.world, ann);
    expect(await h.post(install)).toBe(401);
    expect(await h.post(install, { authorization: "Bearer not.a.jwt" })).toBe(401);
    expect(
      await h.post(activities.personalMessage(h.world, ann, "help"), {
        authorization: "Basic YWxhZGRpbjpvcGVu",
      }),
    ).toBe(401);
    expect(h.fake.calls).toHaveLength(0);
    expect(await h.app.store.findWorkspace("teams", h.world.tenantId)).toBeNull();
  });
});

describe("Teams configuration", () => {
  it("is off without MICROSOFT_APP_ID unless TEAMS_ALLOW_UNAUTHENTICATED is set", async () => {
    const { loadConfig } = await import("../../src/config.ts");
    const { createTeamsPlatform } = await import("../../src/platforms/teams/index.ts");
    const config = loadConfig({ LOG_LEVEL: "silent" });
    expect(config.TEAMS_ALLOW_UNAUTHENTICATED).toBe(false);
    // No database is touched when the platform is off, so a stub app context is enough here.
    const platform = await createTeamsPlatform({ app: { config } as never, background: {} as never });
    expect(platform).toBeNull();
    expect(loadConfig({ TEAMS_ADMIN_IDS: " aad-1, 29:x ,," }).TEAMS_ADMIN_IDS).toEqual(["aad-1", "29:x"]);
  });
});
