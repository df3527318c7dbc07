// Free lunch slots, booking and the .ics on Teams, through the real CloudAdapter: Action.Submit and
// fileConsent/invoke activities POSTed to /api/messages, cards and uploads read back from the fake
// Bot Connector, calendars from the in-memory Calendar port, rows from the database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Contact, Member, Nudge, Workspace } from "../../src/core/types.ts";
import { FILE_CONSENT_CONTENT_TYPE, FILE_INFO_CONTENT_TYPE } from "../../src/platforms/teams/files.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  BOT,
  type FakeUser,
  type Json,
  messageId,
  personalConversationId,
  type RecordedCall,
  startTeamsHarness,
  type TeamsHarness,
} from "../helpers/fake-bot-connector.ts";
import { cardOfCall, textOfCall } from "../helpers/forms.ts";
import { MemoryCalendars } from "../helpers/memory-calendar.ts";

const TENANT = "tenant-cal";
const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT, email: "ann@acme.example" };
const bo: FakeUser = { id: "29:bo", name: "Bo Berg", tenantId: TENANT, email: "bo@acme.example" };
const cy: FakeUser = { id: "29:cy", name: "Cy Chen", tenantId: TENANT, email: "cy@acme.example" };
// Wed 4 Mar 2026, 12:00 in Berlin (the activities' zone).
const NOW = "2026-03-04T11:00:00Z";

type Consent = {
  contentType: string;
  name: string;
  content: { description: string; sizeInBytes: number; acceptContext: Json };
};
const consentOf = (call: RecordedCall | undefined): Consent | null => {
  const a = (call?.body?.attachments as Consent[] | undefined)?.[0];
  return a?.contentType === FILE_CONSENT_CONTENT_TYPE ? a : null;
};

describe.each(PROVIDERS)("calendar lunches on Teams on %s", (provider) => {
  let h: TeamsHarness;
  let ws: Workspace;
  let boMember: Member;
  let cyMember: Member;
  let gwen: Contact;
  let nudge: Nudge;
  const calendars = new MemoryCalendars();
  const boChat = personalConversationId(bo);
  const cyChat = personalConversationId(cy);

  const press = async (u: FakeUser, conversationId: string, value: Json) => {
    const chats = [boChat, cyChat];
    const before = chats.map((c) => h.fake.sent(c).length);
    const updatedBefore = h.fake.updates(conversationId).length;
    expect(await h.post(activities.cardSubmit(h.world, u, conversationId, "act-card", value))).toBe(200);
    return {
      updated: h.fake.updates(conversationId).slice(updatedBefore),
      sentTo: (c: string) => h.fake.sent(c).slice(before[chats.indexOf(c)] ?? 0),
    };
  };
  const openForm = async () => {
    const opened = await press(bo, boChat, { tio: "nudge", nudgeId: nudge.id, action: "plan" });
    return cardOfCall(opened.updated[0]);
  };
  const submit = (extra: Record<string, string>) =>
    press(bo, boChat, {
      tio: "lunch",
      nudgeId: nudge.id,
      contactId: gwen.id,
      date: "2026-03-10",
      time: "12:30",
      with: cy.id,
      ...extra,
    });

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT, at: NOW, calendars });
    h.fake.addUsers(ann, bo, cy);
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
    for (const u of [bo, cy]) expect(await h.post(activities.personalMessage(h.world, u, "stats"))).toBe(200);
    boMember = (await h.app.store.getMember(ws.id, bo.id)) as Member;
    cyMember = (await h.app.store.getMember(ws.id, cy.id)) as Member;
    gwen = await h.app.store.createContact(ws.id, { displayName: "Gwen Guest", status: "tracked" }, [
      { kind: "name", normalized: "gwen guest", display: "Gwen Guest" },
      { kind: "email", normalized: "gwen@partner.example", display: "gwen@partner.example" },
    ]);
  });
  beforeEach(async () => {
    calendars.byMember.clear();
    await h.app.database.db.lunch.deleteMany();
    await h.app.database.db.nudge.deleteMany();
    const n = await h.app.store.createNudge(ws.id, {
      memberId: boMember.id,
      contactId: gwen.id,
      kind: "lunch",
    });
    nudge = (await h.app.store.transitionNudge(ws.id, n.id, ["pending"], { status: "sent" })) as Nudge;
  });
  afterAll(async () => {
    await h?.close();
  });

  it("offers free slots as radio buttons, and books the one picked in the organizer's calendar", async () => {
    expect(boMember.email).toBe("bo@acme.example");
    const own = calendars.connect(boMember.id, "microsoft");
    // Thursday noon is taken: Thursday's slot moves to 12:30.
    own.busy.push({ start: new Date("2026-03-05T10:30:00Z"), end: new Date("2026-03-05T11:30:00Z") });
    const form = await openForm();
    const slot = form.body.find((e) => e.id === "slot") as {
      style: string;
      value: string;
      choices: Array<{ title: string; value: string }>;
    };
    // Wednesday's window ends before 14:00 Berlin, two hours from now: the first slot is Thursday.
    expect(slot.choices.map((c) => c.title)).toEqual([
      "Thu 5 Mar, 12:30–13:30",
      "Fri 6 Mar, 12:00–13:00",
      "Mon 9 Mar, 12:00–13:00",
      "Tue 10 Mar, 12:00–13:00",
      "Another time (pick it below)",
    ]);
    expect(slot).toMatchObject({ style: "expanded", value: slot.choices[0]?.value });

    const res = await submit({ slot: slot.choices[1]?.value ?? "" });
    expect(textOfCall(res.updated[0])).toContain(
      "Lunch with Gwen Guest on Fri 6 Mar, 12:00 with Cy Chen is planned. I'm adding it to your calendar",
    );
    const [lunch] = await h.app.store.listLunches(ws.id, {});
    expect(lunch?.scheduledFor?.toISOString()).toBe("2026-03-06T11:00:00.000Z");
    expect(lunch?.attendeeIds).toEqual([cyMember.id]);
    expect(own.created).toMatchObject([
      {
        start: new Date("2026-03-06T11:00:00Z"),
        end: new Date("2026-03-06T12:00:00Z"),
        title: "Lunch with Gwen Guest",
        attendeeEmails: ["cy@acme.example", "gwen@partner.example"],
      },
    ]);
    // Bo: nothing more (the event is in his calendar). Cy has no calendar connected: the note, then the file.
    expect(res.sentTo(boChat)).toEqual([]);
    const [note, file] = res.sentTo(cyChat);
    expect(textOfCall(note)).toContain(
      "Bo Berg planned lunch with Gwen Guest on Fri 6 Mar, 12:00 and added you.",
    );
    expect(consentOf(file)?.name).toBe("lunch-with-gwen-guest.ics");
  });

  it("without a connected calendar: the form as before with a hint, and the .ics for everyone", async () => {
    const form = await openForm();
    expect(form.body.find((e) => e.id === "slot")).toBeUndefined();
    expect(textOfCall({ body: { attachments: [{ content: form }] } } as unknown as RecordedCall)).toContain(
      "Connect your calendar",
    );
    const res = await submit({});
    expect(textOfCall(res.updated[0])).toContain(
      "Lunch with Gwen Guest on Tue 10 Mar, 12:30 with Cy Chen is planned.",
    );
    const boFile = consentOf(res.sentTo(boChat)[0]);
    expect(boFile?.content.description).toContain("The invite for your lunch with Gwen Guest.");
    expect(boFile?.content.acceptContext).toMatchObject({
      tio: "ics",
      ics: expect.stringContaining("DTSTART:20260310T113000Z"),
    });
    expect(consentOf(res.sentTo(cyChat)[1])).not.toBeNull();

    // Allow or Decline on a consent card, as Teams sends it (an invoke in the person's chat).
    const consent = (user: FakeUser, chat: string, value: Record<string, unknown>) =>
      h.post({
        type: "invoke",
        name: "fileConsent/invoke",
        id: messageId(),
        channelId: "msteams",
        serviceUrl: h.world.serviceUrl,
        timestamp: h.world.now().toISOString(),
        from: { id: user.id, name: user.name, aadObjectId: `aad-${user.id}` },
        recipient: BOT,
        conversation: { id: chat, conversationType: "personal", tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
        replyToId: "act-consent",
        value: { type: "fileUpload", ...value },
      });
    // Allow: the bot uploads the file where Teams said, then shows it as a file card.
    const upload = (uploadUrl: string) =>
      consent(bo, boChat, {
        action: "accept",
        context: boFile?.content.acceptContext,
        uploadInfo: {
          name: "lunch-with-gwen-guest.ics",
          uploadUrl,
          contentUrl: "https://acme-my.sharepoint.com/personal/bo/Documents/lunch-with-gwen-guest.ics",
          uniqueId: "1150D938",
          fileType: "ics",
        },
      });
    const before = h.fake.sent(boChat).length;
    expect(await upload(`${h.fake.url}upload/lunch-with-gwen-guest.ics`)).toBe(200);
    const [put] = h.fake.uploads();
    expect(put?.raw).toContain("BEGIN:VCALENDAR");
    expect(put?.raw).toContain("SUMMARY:Lunch with Gwen Guest");
    const [info] = h.fake.sent(boChat).slice(before);
    expect((info?.body?.attachments as Array<{ contentType: string }> | undefined)?.[0]?.contentType).toBe(
      FILE_INFO_CONTENT_TYPE,
    );
    // An upload URL outside OneDrive is never called.
    expect(await upload("http://10.0.0.1/upload/x")).toBe(200);
    expect(h.fake.uploads()).toHaveLength(1);

    // Cy declines: nothing is uploaded, and the bot says so rather than nothing at all.
    const cyFile = consentOf(res.sentTo(cyChat)[1]);
    const cyBefore = h.fake.sent(cyChat).length;
    const declined = await consent(cy, cyChat, { action: "decline", context: cyFile?.content.acceptContext });
    expect(declined).toBe(200);
    expect(h.fake.uploads()).toHaveLength(1);
    const reply = h.fake.sent(cyChat).slice(cyBefore);
    expect(reply).toHaveLength(1);
    expect(JSON.stringify(reply[0]?.body)).toContain("I won't save the invite");
  });

  it("still records the lunch when the calendar fails; the organizer gets the .ics saying why", async () => {
    const own = calendars.connect(boMember.id, "google");
    const form = await openForm();
    const first = (form.body.find((e) => e.id === "slot") as { value: string }).value;
    own.failure = { kind: "unavailable", retryAfterMs: null, detail: "HTTP 500" };
    const res = await submit({ slot: first });
    expect(await h.app.store.listLunches(ws.id, {})).toHaveLength(1);
    expect(own.created).toEqual([]);
    expect(consentOf(res.sentTo(boChat)[0])?.content.description).toContain(
      "I couldn't add the lunch to your calendar just now: it didn't answer. Here is the invite to add yourself.",
    );
    // And a form opened while it fails has no slots, and says so.
    const again = await openForm();
    expect(again.body.find((e) => e.id === "slot")).toBeUndefined();
  });
});
