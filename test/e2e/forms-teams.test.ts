// The lunch and settings forms on Teams, through the real CloudAdapter: Action.Submit activities
// POSTed to /api/messages, cards read back from the fake Bot Connector, rows from the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandHelp } from "../../src/core/commands.ts";
import { SETTINGS_FIELD_NAMES } from "../../src/core/forms/settings.ts";
import type { Member, Nudge, Workspace } from "../../src/core/types.ts";
import { toTeamsMarkdown } from "../../src/platforms/teams/text.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  type FakeUser,
  type Json,
  mention,
  personalConversationId,
  startTeamsHarness,
  type TeamsHarness,
} from "../helpers/fake-bot-connector.ts";
import { type CardJson, cardOfCall, textOfCall } from "../helpers/forms.ts";

const TENANT = "tenant-forms";
const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT };
const bo: FakeUser = { id: "29:bo", name: "Bo Berg", tenantId: TENANT };
const cy: FakeUser = { id: "29:cy", name: "Cy Chen", tenantId: TENANT };
const gwen: FakeUser = { id: "29:gwen", name: "Gwen Guest", tenantId: TENANT, userRole: "guest" };

/** The message shown right under an input (its error), if any. */
function errorUnder(card: CardJson, id: string): string | null {
  const i = card.body.findIndex((e) => e.id === id);
  for (const e of card.body.slice(i + 1)) {
    if (typeof e.id === "string" || e.type !== "TextBlock") return null;
    if (e.color === "Attention") return String(e.text);
  }
  return null;
}

/** Every Action.Submit data object anywhere in a card (buttons, overflow menus, show-cards). */
function submitsOf(card: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "Action.Submit" && o.data && typeof o.data === "object")
        out.push(o.data as Record<string, unknown>);
      for (const child of Object.values(o)) walk(child);
    }
  };
  walk(card);
  return out;
}

describe.each(PROVIDERS)("Teams forms on %s", (provider) => {
  let h: TeamsHarness;
  let ws: Workspace;
  const annChat = personalConversationId(ann);
  const boChat = personalConversationId(bo);

  const press = async (u: FakeUser, conversationId: string, cardId: string, value: Json) => {
    const [sent, updated] = [h.fake.sent(conversationId).length, h.fake.updates(conversationId).length];
    expect(await h.post(activities.cardSubmit(h.world, u, conversationId, cardId, value))).toBe(200);
    return {
      sent: h.fake.sent(conversationId).slice(sent),
      updated: h.fake.updates(conversationId).slice(updated),
    };
  };
  const say = async (u: FakeUser, text: string, mentions: Json[] = []) => {
    const before = h.fake.sent(personalConversationId(u)).length;
    expect(await h.post(activities.personalMessage(h.world, u, text, { mentions }))).toBe(200);
    return h.fake.sent(personalConversationId(u)).slice(before);
  };

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT });
    h.fake.addUsers(ann, bo, cy, gwen);
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
    for (const u of [bo, cy]) await say(u, "stats");
  });
  afterAll(async () => {
    await h?.close();
  });

  it("prints only the topic's help for `help lunch`", async () => {
    const [reply] = await say(bo, "help lunch");
    expect(textOfCall(reply)).toContain(
      toTeamsMarkdown(commandHelp("lunch", { prefix: "" }).split("\n")[0]!),
    );
    expect(textOfCall(reply)).not.toContain("forget-me");
  });

  it("shows every setting; saves the ones Teams couldn't change before", async () => {
    const [form] = await say(ann, "settings");
    const card = cardOfCall(form);
    expect(card.body.filter((e) => String(e.type).startsWith("Input.")).map((e) => e.id)).toEqual([
      ...SETTINGS_FIELD_NAMES,
    ]);
    const cardId = "act-settings";
    const saved = await press(ann, annChat, cardId, {
      tio: "settings",
      mentionWindowDays: "10",
      pairCooldownDays: "30",
      candidateThreshold: "5",
      candidateMinTeammates: "3",
      recentlyMetDays: "45",
      digestTopN: "15",
      coverageDays: "60",
      retentionDays: "200",
    });
    expect(textOfCall(saved.updated[0])).toContain("Settings saved");
    expect((await h.app.store.getWorkspace(ws.id))?.settings).toMatchObject({
      mentionWindowDays: 10,
      pairCooldownDays: 30,
      candidateThreshold: 5,
      candidateMinTeammates: 3,
      recentlyMetDays: 45,
      digestTopN: 15,
      coverageDays: 60,
      retentionDays: 200,
    });
  });

  it("puts each settings error under its field and keeps what the admin typed", async () => {
    const before = await h.app.store.getWorkspace(ws.id);
    const res = await press(ann, annChat, "act-settings-2", {
      tio: "settings",
      candidateThreshold: "0",
      retentionDays: "2",
      timezone: "Europe/Paris",
      internalDomains: "acme.example, not a domain!",
    });
    expect(res.sent).toHaveLength(0);
    const card = cardOfCall(res.updated[0]);
    expect(errorUnder(card, "candidateThreshold")).toBe("Enter a whole number from 1 to 1000.");
    expect(errorUnder(card, "retentionDays")).toBe("Enter a whole number from 7 to 36500.");
    expect(errorUnder(card, "internalDomains")).toContain("is not a domain name");
    expect(errorUnder(card, "timezone")).toBeNull();
    const input = (id: string) => card.body.find((e) => e.id === id);
    expect(input("timezone")).toMatchObject({ value: "Europe/Paris" });
    expect(input("retentionDays")).toMatchObject({ value: 2 });
    expect(input("internalDomains")).toMatchObject({ value: "acme.example, not a domain!" });
    // A field not sent shows the saved value.
    expect(input("digestTopN")).toMatchObject({ value: 15 });
    expect(await h.app.store.getWorkspace(ws.id)).toEqual(before);
  });

  it("keeps the chosen hours on a refused save, with the error under the field it is about", async () => {
    const before = await h.app.store.getWorkspace(ws.id);
    const res = await press(ann, annChat, "act-settings-3", {
      tio: "settings",
      digestHour: "7",
      workingHourStart: "16",
      workingHourEnd: "10",
      timezone: "America/New_York",
    });
    expect(res.sent).toHaveLength(0);
    const card = cardOfCall(res.updated[0]);
    const input = (id: string) => card.body.find((e) => e.id === id);
    expect(errorUnder(card, "workingHourEnd")).toBe("Working hours must start before they end.");
    expect(errorUnder(card, "workingHourStart")).toBeNull();
    // Hours are picked from 00:00…23:00 and the zone from the IANA list; what was picked stays picked.
    const picked: Array<[string, string]> = [
      ["digestHour", "7"],
      ["workingHourStart", "16"],
      ["workingHourEnd", "10"],
    ];
    for (const [id, value] of picked) expect(input(id)).toMatchObject({ type: "Input.ChoiceSet", value });
    expect(input("timezone")).toMatchObject({
      type: "Input.ChoiceSet",
      style: "filtered",
      value: "America/New_York",
    });
    expect(await h.app.store.getWorkspace(ws.id)).toEqual(before);
  });

  it("turns the digest off with 'Nowhere' and back on with a channel it names", async () => {
    const channel = ws.digestChannel as string;
    expect(channel).toBeTruthy();
    const off = await press(ann, annChat, "act-settings-4", { tio: "settings", digestChannel: "none" });
    expect(textOfCall(off.updated[0])).toContain("Digest: off (no channel).");
    expect((await h.app.store.getWorkspace(ws.id))?.digestChannel).toBeNull();
    const [form] = await say(ann, "settings");
    const choice = cardOfCall(form).body.find((e) => e.id === "digestChannel") as {
      value: string;
      choices: Array<{ title: string; value: string }>;
    };
    expect(choice.value).toBe("none");
    const listed = choice.choices.find((c) => c.value === channel);
    expect(listed?.title).toBeTruthy();
    expect(listed?.title).not.toContain(channel);
    const on = await press(ann, annChat, "act-settings-5", {
      tio: "settings",
      digestChannel: channel,
      digestHour: "8",
      timezone: "Europe/Kyiv",
    });
    expect(textOfCall(on.updated[0])).toContain(`08:00 (Europe/Kyiv) in ${listed?.title}`);
    expect(await h.app.store.getWorkspace(ws.id)).toMatchObject({
      digestChannel: channel,
      digestHour: 8,
      timezone: "Europe/Kyiv",
    });
  });

  describe("the lunch form", () => {
    let nudge: Nudge;
    let boMember: Member;
    const gwenContact = async () => {
      const c = await h.app.store.findContactByPlatformUser(ws.id, gwen.id);
      if (c) return c;
      return h.app.store.createContact(
        ws.id,
        { displayName: "Gwen Guest", status: "tracked", platformUserId: gwen.id },
        [{ kind: "name", normalized: "gwen guest", display: "Gwen Guest" }],
      );
    };

    beforeAll(async () => {
      boMember = (await h.app.store.getMember(ws.id, bo.id)) as Member;
      const contact = await gwenContact();
      const n = await h.app.store.createNudge(ws.id, {
        memberId: boMember.id,
        contactId: contact.id,
        kind: "lunch",
      });
      nudge = (await h.app.store.transitionNudge(ws.id, n.id, ["pending"], { status: "sent" })) as Nudge;
    });

    const submit = (u: FakeUser, conv: string, extra: Record<string, string>) =>
      press(u, conv, "act-lunch", {
        tio: "lunch",
        nudgeId: nudge.id,
        contactId: nudge.contactId,
        date: "2026-03-10",
        time: "12:30",
        ...extra,
      });

    it("refuses another member's prompt and changes nothing", async () => {
      const res = await submit(cy, personalConversationId(cy), {});
      expect(textOfCall(res.updated[0])).toContain("This prompt was meant for someone else.");
      expect((await h.app.store.getNudge(ws.id, nudge.id))?.status).toBe("sent");
      expect(await h.app.store.listLunches(ws.id, {})).toHaveLength(0);
    });

    it("refuses an impossible date and an unknown person under their fields, keeping the input", async () => {
      const bad = await submit(bo, boChat, { date: "2031-13-01", place: "Cafe Nord" });
      const card = cardOfCall(bad.updated[0]);
      expect(errorUnder(card, "date")).toBe("There is no month 13; months go from 01 to 12.");
      expect(card.body.find((e) => e.id === "place")).toMatchObject({ value: "Cafe Nord" });

      const nobody = await submit(bo, boChat, { with: "29:nobody" });
      expect(textOfCall(nobody.updated[0])).toContain(
        "One of the teammates you picked isn't someone I know in this workspace yet.",
      );
      expect(await h.app.store.getMember(ws.id, "29:nobody")).toBeNull();
      const guest = await submit(bo, boChat, { with: gwen.id });
      expect(textOfCall(guest.updated[0])).toContain("Gwen Guest is outside your team.");
      expect((await h.app.store.getNudge(ws.id, nudge.id))?.status).toBe("sent");
      expect(await h.app.store.listLunches(ws.id, {})).toHaveLength(0);
    });

    it("opens on the next weekday, refuses an empty date on the form itself, keeping what was typed", async () => {
      const opened = await press(bo, boChat, "act-prompt", {
        tio: "nudge",
        nudgeId: nudge.id,
        action: "plan",
      });
      expect(opened.sent).toHaveLength(0);
      const form = cardOfCall(opened.updated[0]);
      // 2026-03-04 is a Wednesday in Berlin: the form opens on Thursday, at 12:30, both required.
      expect(form.body.find((e) => e.id === "date")).toMatchObject({
        value: "2026-03-05",
        isRequired: true,
        errorMessage: "Pick a date.",
      });
      expect(form.body.find((e) => e.id === "time")).toMatchObject({ value: "12:30", isRequired: true });

      const res = await submit(bo, boChat, { date: "", time: "13:15", place: "Cafe Nord" });
      expect(res.sent).toHaveLength(0);
      const card = cardOfCall(res.updated[0]);
      expect(errorUnder(card, "date")).toBe("Pick a date.");
      expect(card.body.find((e) => e.id === "date")).not.toHaveProperty("value");
      expect(card.body.find((e) => e.id === "time")).toMatchObject({ value: "13:15" });
      expect(card.body.find((e) => e.id === "place")).toMatchObject({ value: "Cafe Nord" });
      expect(submitsOf(card).map((d) => d.tio)).toEqual(["lunch", "lunch-cancel"]);
      expect(await h.app.store.listLunches(ws.id, {})).toHaveLength(0);
    });

    it("Cancel brings the prompt back with its buttons; only for the prompt's own member", async () => {
      const cancel = { tio: "lunch-cancel", nudgeId: nudge.id, contactId: nudge.contactId };
      const other = await press(cy, personalConversationId(cy), "act-form", cancel);
      expect(textOfCall(other.updated[0])).toContain("This prompt was meant for someone else.");
      expect(submitsOf(cardOfCall(other.updated[0]))).toEqual([]);

      const res = await press(bo, boChat, "act-form", cancel);
      expect(res.sent).toHaveLength(0);
      const card = cardOfCall(res.updated[0]);
      expect(textOfCall(res.updated[0])).toContain("Gwen Guest");
      const actions = submitsOf(card)
        .filter((d) => d.tio === "nudge" && d.nudgeId === nudge.id)
        .map((d) => d.action);
      expect(actions).toEqual(expect.arrayContaining(["plan", "snooze", "met", "not-contact"]));
      expect((await h.app.store.getNudge(ws.id, nudge.id))?.status).toBe("sent");
      // Its buttons work: Plan lunch opens the form again.
      const again = await press(bo, boChat, "act-form", { tio: "nudge", nudgeId: nudge.id, action: "plan" });
      expect(cardOfCall(again.updated[0]).body.some((e) => e.id === "date")).toBe(true);
    });

    it("plans once and tells the attendee in their personal chat", async () => {
      const cyChat = personalConversationId(cy);
      const cyBefore = h.fake.sent(cyChat).length;
      const ok = await submit(bo, boChat, { with: cy.id, place: "Cafe Nord" });
      expect(textOfCall(ok.updated[0])).toContain(
        "Lunch with Gwen Guest on Tue 10 Mar, 12:30 at Cafe Nord with Cy Chen is planned",
      );
      const told = h.fake.sent(cyChat).slice(cyBefore);
      // The note, then the .ics as a file consent card (Teams bots can't attach it to a message).
      expect(told).toHaveLength(2);
      expect(textOfCall(told[0])).toContain(
        "Bo Berg planned lunch with Gwen Guest on Tue 10 Mar, 12:30 at Cafe Nord and added you.",
      );
      expect(
        (told[1]?.body?.attachments as Array<{ contentType: string; name: string }> | undefined)?.[0],
      ).toMatchObject({
        contentType: "application/vnd.microsoft.teams.card.file.consent",
        name: "lunch-with-gwen-guest.ics",
      });
      const again = await submit(bo, boChat, { with: cy.id });
      expect(textOfCall(again.updated[0])).toContain("Already handled: a lunch with Gwen Guest is planned.");
      expect(await h.app.store.listLunches(ws.id, {})).toHaveLength(1);
    });
  });

  it("`lunch … with @a` tells the attendee", async () => {
    const cyChat = personalConversationId(cy);
    const before = h.fake.sent(cyChat).length;
    const sent = await say(bo, "lunch <at>Gwen Guest</at> on 2026-03-12 at Cafe Sud with <at>Cy Chen</at>", [
      mention(gwen),
      mention(cy),
    ]);
    // The reply, and Bo's .ics as a file consent card.
    expect(sent).toHaveLength(2);
    expect(sent.map((c) => textOfCall(c)).join("\n")).toContain(
      "Lunch with Gwen Guest on Thu 12 Mar, 12:00 at Cafe Sud with Cy Chen is planned",
    );
    expect(textOfCall(h.fake.sent(cyChat).slice(before)[0])).toContain(
      "Bo Berg planned lunch with Gwen Guest on Thu 12 Mar, 12:00 at Cafe Sud and added you.",
    );
  });
});
