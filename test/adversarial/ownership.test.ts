// Ownership of every id a client sends back, within one workspace: Cy sends Cy's own buttons,
// forms and cards, but with Ann's prompt id or Ann's lunch id in them. Every path must check that
// the object belongs to the person acting: a polite refusal, no change, and nothing written over
// Ann's messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Member, Workspace } from "../../src/core/types.ts";
import { ACTIONS, VIEWS } from "../../src/platforms/slack/ids.ts";
import { callsSince, lunchFormValues } from "../helpers/adversarial-slack.ts";
import { seedTenant, snapshotWorkspace, type TenantSeed } from "../helpers/adversarial-tenants.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  type FakeUser,
  type Json,
  personalConversationId,
  startTeamsHarness,
  type TeamsHarness,
} from "../helpers/fake-bot-connector.ts";
import {
  blockAction,
  type SlackHarness,
  startSlackHarness,
  viewSubmission,
} from "../helpers/slack-signing.ts";

const CONTACT = {
  name: "Jane Doe",
  organization: "Acme",
  aliases: [{ kind: "email" as const, value: "jane@acme.example" }],
};
const NOT_YOURS = /meant for someone else|isn't yours/;
const PROMPT_ACTIONS = [
  ACTIONS.plan,
  ACTIONS.snooze,
  ACTIONS.met,
  ACTIONS.notContact,
  ACTIONS.track,
  ACTIONS.ignore,
  ACTIONS.hide,
  ACTIONS.keep,
  ACTIONS.undo,
];

/** The rows a click could change: prompts, lunches, meetings, contacts, mentions. */
async function objects(db: SlackHarness["app"]["database"]["db"], wsId: string) {
  const s = await snapshotWorkspace(db, wsId);
  return {
    nudge: s.nudge,
    lunch: s.lunch,
    lunchAttendee: s.lunchAttendee,
    meeting: s.meeting,
    contact: s.contact,
    contactAlias: s.contactAlias,
    mention: s.mention,
  };
}

describe.each(PROVIDERS)("ownership of ids on Slack on %s", (provider) => {
  let h: SlackHarness;
  let ws: Workspace;
  let seed: TenantSeed;
  let cy: Member;

  beforeAll(async () => {
    h = await startSlackHarness(provider);
    ws = await h.workspace();
    const { store, service } = h.app;
    const member = async (id: string, name: string) =>
      service.member(ws, { platformUserId: id, displayName: name, external: false, tz: "America/New_York" });
    const ann = await member("UANN", "Ann Smith");
    const bo = await member("UBO", "Bo Chen");
    cy = await member("UCY", "Cy Park");
    // Ann's prompt, Bo's prompt; the lunches are Ann's (organizer) and Bo's (attendee).
    seed = await seedTenant(store, service, ws, [ann, bo], CONTACT);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("Cy's buttons carrying Ann's prompt id are refused from a DM and from App Home", async () => {
    const before = await objects(h.app.database.db, ws.id);
    const annPrompt = seed.nudges[0]!;
    let clicks = 0;
    for (const actionId of PROMPT_ACTIONS) {
      for (const fromHome of [false, true]) {
        const from = h.fake.calls.length;
        const value = JSON.stringify({ n: annPrompt.id });
        const res = await h.interaction(
          fromHome
            ? blockAction({ userId: "UCY", actionId, value, view: { id: "VHOMECY", type: "home" } })
            : blockAction({
                userId: "UCY",
                actionId,
                value,
                channel: "DUCY",
                messageTs: "1700000300.000100",
              }),
        );
        expect(res.status).toBe(200);
        await h.settle();
        clicks++;
        const calls = callsSince(h.fake, from) as Array<{ method: string; args: Record<string, unknown> }>;
        // Nothing opens Ann's lunch form for Cy, nothing is written over Ann's prompt.
        expect(
          calls.filter((c) => c.method === "views.open"),
          actionId,
        ).toEqual([]);
        const updates = calls.filter((c) => c.method === "chat.update");
        for (const u of updates)
          expect(u.args.channel, `${actionId} from ${fromHome ? "home" : "DM"}`).toBe("DUCY");
        if (!fromHome) expect(updates.map((u) => u.args.text)).toEqual([expect.stringMatching(NOT_YOURS)]);
      }
    }
    expect(clicks).toBe(PROMPT_ACTIONS.length * 2);
    expect(await objects(h.app.database.db, ws.id)).toEqual(before);
  });

  it("Cy's follow-up answers on Ann's lunches are refused", async () => {
    const before = await objects(h.app.database.db, ws.id);
    for (const lunch of [seed.followUp, seed.upcoming]) {
      for (const actionId of [ACTIONS.followUpYes, ACTIONS.followUpLater, ACTIONS.followUpNo]) {
        const from = h.fake.calls.length;
        await h.interaction(
          blockAction({
            userId: "UCY",
            actionId,
            value: JSON.stringify({ l: lunch.id }),
            channel: "DUCY",
            messageTs: "1700000300.000200",
          }),
        );
        await h.settle();
        const updates = (
          callsSince(h.fake, from) as Array<{ method: string; args: Record<string, unknown> }>
        ).filter((c) => c.method === "chat.update");
        expect(updates.map((u) => [u.args.channel, u.args.text])).toEqual([
          ["DUCY", expect.stringMatching(NOT_YOURS)],
        ]);
      }
    }
    expect(await objects(h.app.database.db, ws.id)).toEqual(before);
  });

  it("Cy's App Home shows only Cy's prompts and lunches", async () => {
    const from = h.fake.calls.length;
    await h.event({ type: "app_home_opened", user: "UCY", tab: "home" });
    await h.settle();
    const published = JSON.stringify(callsSince(h.fake, from).filter((c) => c.method === "views.publish"));
    expect(published).toContain("views.publish");
    for (const id of [...seed.nudges.map((n) => n.id), seed.followUp.id, seed.upcoming.id])
      expect(published).not.toContain(id);
    // Ann's own Home does list her prompt (the check above can fail).
    const annFrom = h.fake.calls.length;
    await h.event({ type: "app_home_opened", user: "UANN", tab: "home" });
    await h.settle();
    expect(JSON.stringify(callsSince(h.fake, annFrom))).toContain(seed.nudges[0]!.id);
  });

  it("settings submitted by a member who isn't an admin are refused", async () => {
    const before = await snapshotWorkspace(h.app.database.db, ws.id);
    const res = await h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: VIEWS.settings,
        privateMetadata: JSON.stringify({ workspaceId: ws.id }),
        values: {},
      }),
    );
    expect(res.json).toMatchObject({ response_action: "errors" });
    expect(res.text).toContain("Only workspace admins");
    expect((await snapshotWorkspace(h.app.database.db, ws.id)).workspace).toEqual(before.workspace);
  });

  describe("lunch form nudge ownership", () => {
    // Issue #15 item 3: the prompt named in the lunch form's private_metadata must belong to the
    // organizer (checked by the plan-lunch use case).
    it("Cy's lunch form with Ann's prompt id leaves Ann's prompt alone", async () => {
      const annPrompt = seed.nudges[0]!;
      const res = await h.interaction(
        viewSubmission({
          userId: "UCY",
          callbackId: VIEWS.lunch,
          privateMetadata: JSON.stringify({
            contactId: seed.contact.id,
            nudgeId: annPrompt.id,
            channel: null,
            ts: null,
          }),
          values: lunchFormValues({ date: "2026-11-25", place: "Cafe Nord" }),
        }),
      );
      await h.settle();
      expect(res.status).toBe(200);
      // Refused, or planned without the prompt: either way Ann's prompt stays open and hers.
      expect(await h.app.store.getNudge(ws.id, annPrompt.id)).toMatchObject({
        status: "sent",
        memberId: annPrompt.memberId,
      });
      if (res.json) expect(JSON.stringify(res.json)).not.toContain("Lunch with");
      expect(cy.id).not.toBe(annPrompt.memberId);
    });
  });

  describe("lunch form message ownership", () => {
    // The form's private_metadata names the message to replace once the lunch is planned (channel,
    // ts). A crafted channel/ts must not let a member overwrite another member's prompt: only the
    // organizer's own prompt's message (the nudge's messageRef) is replaced.
    it("Cy's lunch form naming Ann's prompt message as its origin doesn't touch that message", async () => {
      const annPrompt = seed.nudges[0]!;
      const [channel, ts] = (annPrompt.messageRef ?? "").split(":");
      const from = h.fake.calls.length;
      const res = await h.interaction(
        viewSubmission({
          userId: "UCY",
          callbackId: VIEWS.lunch,
          privateMetadata: JSON.stringify({ contactId: seed.contact.id, nudgeId: null, channel, ts }),
          values: lunchFormValues({ date: "2026-11-25", place: "Cafe Nord" }),
        }),
      );
      expect(res.status).toBe(200);
      await h.settle();
      const updates = callsSince(h.fake, from).filter((c) => c.method === "chat.update");
      expect(updates.map((u) => (u.args as { channel?: string }).channel)).not.toContain(channel);
    });
  });
});

const TENANT = "tenant-acme";
const ann: FakeUser = { id: "29:ann", name: "Ann Smith", tenantId: TENANT };
const bo: FakeUser = { id: "29:bo", name: "Bo Chen", tenantId: TENANT };
const cyUser: FakeUser = { id: "29:cy", name: "Cy Park", tenantId: TENANT };

describe.each(PROVIDERS)("ownership of ids on Teams on %s", (provider) => {
  let h: TeamsHarness;
  let ws: Workspace;
  let seed: TenantSeed;

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT, at: "2026-11-18T15:00:00Z" });
    h.fake.addUsers(ann, bo, cyUser);
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    for (const u of [ann, bo, cyUser]) expect(await h.post(activities.personalInstall(h.world, u))).toBe(200);
    ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
    const members = await h.app.store.getMembers(ws.id, [ann.id, bo.id]);
    members.sort((x, y) => (x.platformUserId === ann.id ? -1 : y.platformUserId === ann.id ? 1 : 0));
    seed = await seedTenant(h.app.store, h.app.service, ws, members, CONTACT);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("Cy's cards carrying Ann's prompt and lunch ids are refused and change nothing", async () => {
    const before = await objects(h.app.database.db, ws.id);
    const chat = personalConversationId(cyUser);
    const press = async (value: Json) => {
      const from = h.fake.calls.length;
      expect(await h.post(activities.cardSubmit(h.world, cyUser, chat, "1:cy-card", value))).toBe(200);
      const out = h.fake.calls.slice(from);
      expect(out.length).toBeGreaterThan(0);
      for (const c of out) expect(c.conversationId).toBe(chat);
      expect(JSON.stringify(out.map((c) => c.body)), JSON.stringify(value)).toMatch(NOT_YOURS);
    };
    const annPrompt = seed.nudges[0]!;
    for (const action of ["plan", "snooze", "met", "not-contact", "track", "ignore", "hide", "keep", "undo"])
      await press({ tio: "nudge", nudgeId: annPrompt.id, action });
    for (const lunch of [seed.followUp, seed.upcoming]) {
      for (const happened of [true, false]) await press({ tio: "followup", lunchId: lunch.id, happened });
      for (const answer of ["happened", "later", "off"])
        await press({ tio: "followup", lunchId: lunch.id, answer });
    }
    await press({ tio: "lunch", nudgeId: annPrompt.id, contactId: seed.contact.id, date: "2026-11-25" });
    // The lunch form's Cancel would show Ann's prompt (her contact, her numbers) in Cy's chat.
    await press({ tio: "lunch-cancel", nudgeId: annPrompt.id, contactId: seed.contact.id });
    expect(await objects(h.app.database.db, ws.id)).toEqual(before);
  });
});
