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

    it("plans once and tells the attendee in their personal chat", async () => {
      const cyChat = personalConversationId(cy);
      const cyBefore = h.fake.sent(cyChat).length;
      const ok = await submit(bo, boChat, { with: cy.id, place: "Cafe Nord" });
      expect(textOfCall(ok.updated[0])).toContain(
        "Lunch with Gwen Guest on Tue 10 Mar, 12:30 at Cafe Nord with Cy Chen is planned",
      );
      const told = h.fake.sent(cyChat).slice(cyBefore);
      expect(told).toHaveLength(1);
      expect(textOfCall(told[0])).toContain(
        "Bo Berg planned lunch with Gwen Guest on Tue 10 Mar, 12:30 at Cafe Nord and added you.",
      );
      const again = await submit(bo, boChat, { with: cy.id });
      expect(textOfCall(again.updated[0])).toContain("Already handled: a lunch with Gwen Guest is planned.");
      expect(await h.app.store.listLunches(ws.id, {})).toHaveLength(1);
    });
  });

  it("`lunch … with @a` tells the attendee", async () => {
    const cyChat = personalConversationId(cy);
    const before = h.fake.sent(cyChat).length;
    const [reply] = await say(
      bo,
      "lunch <at>Gwen Guest</at> on 2026-03-12 at Cafe Sud with <at>Cy Chen</at>",
      [mention(gwen), mention(cy)],
    );
    expect(textOfCall(reply)).toContain(
      "Lunch with Gwen Guest on Thu 12 Mar, 12:00 at Cafe Sud with Cy Chen is planned",
    );
    expect(textOfCall(h.fake.sent(cyChat).slice(before)[0])).toContain(
      "Bo Berg planned lunch with Gwen Guest on Thu 12 Mar, 12:00 at Cafe Sud and added you.",
    );
  });
});
