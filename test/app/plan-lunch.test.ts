// The plan-lunch use case on a real database (SQLite and PostgreSQL): ownership of the prompt a form
// names, claim-first with undo, attendees always told, unknown people and past dates refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type PlanLunchDeps, planLunch } from "../../src/app/plan-lunch.ts";
import type { LunchChatPort, LunchNotice, Store } from "../../src/app/ports.ts";
import type { Contact, Member, Nudge, Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { createWorld, type World } from "../helpers/world.ts";

class RecordingChat implements LunchChatPort {
  readonly sent: Array<{ to: string; notice: LunchNotice }> = [];
  failFor: string | null = null;
  async notifyLunch(_ws: Workspace, member: Member, notice: LunchNotice): Promise<void> {
    if (member.platformUserId === this.failFor) throw new Error("channel_not_found");
    this.sent.push({ to: member.platformUserId, notice });
  }
}

describe.each(PROVIDERS)("plan-lunch use case on %s", (provider) => {
  let w: World;
  let bo: Member;
  let cy: Member;
  let jane: Contact;
  let nudge: Nudge;
  let chat: RecordingChat;
  const deps = (over: Partial<PlanLunchDeps> = {}): PlanLunchDeps => ({
    store: w.store,
    clock: w.clock,
    chat,
    ...over,
  });
  const lunches = () => w.store.listLunches(w.ws.id, {});
  const on = { year: 2026, month: 11, day: 20, hour: 12, minute: 30 };

  beforeAll(async () => {
    w = await createWorld(provider);
  });
  afterAll(async () => {
    await w.cleanup();
  });
  beforeEach(async () => {
    const db = w.database.db;
    await db.lunch.deleteMany();
    await db.nudge.deleteMany();
    chat = new RecordingChat();
    bo = (await w.store.getMember(w.ws.id, "UBO")) as Member;
    cy = (await w.store.getMember(w.ws.id, "UCY")) as Member;
    jane =
      (await w.store.findContactByAlias(w.ws.id, "jane doe")) ??
      (await w.store.createContact(w.ws.id, { displayName: "Jane Doe", status: "tracked" }, [
        { kind: "name", normalized: "jane doe", display: "Jane Doe" },
      ]));
    nudge = await w.store.createNudge(w.ws.id, { memberId: bo.id, contactId: jane.id, kind: "lunch" });
    await w.store.transitionNudge(w.ws.id, nudge.id, ["pending"], { status: "sent" });
  });

  it("plans, claims the prompt and tells the organizer (invite) and every attendee (note)", async () => {
    const r = await planLunch(deps(), {
      workspace: w.ws,
      organizer: bo,
      contactId: jane.id,
      nudgeId: nudge.id,
      on,
      place: "Cafe Nord",
      withUserIds: ["UCY"],
    });
    expect(r).toMatchObject({
      ok: true,
      text: "Lunch with Jane Doe on Fri 20 Nov, 12:30 at Cafe Nord with Cy Park is planned. I'll check in the day after.",
    });
    expect((await w.store.getNudge(w.ws.id, nudge.id))?.status).toBe("planned");
    expect(chat.sent.map((s) => [s.to, s.notice.role])).toEqual([
      ["UBO", "organizer"],
      ["UCY", "attendee"],
    ]);
    expect(chat.sent[1]?.notice.text).toBe(
      "Bo Chen planned lunch with Jane Doe on Fri 20 Nov, 12:30 at Cafe Nord and added you.",
    );
    expect(chat.sent.every((s) => s.notice.ics?.includes("BEGIN:VCALENDAR"))).toBe(true);
  });

  it("refuses another member's prompt, and a prompt about another contact, changing nothing", async () => {
    const cyNudge = await w.store.createNudge(w.ws.id, {
      memberId: cy.id,
      contactId: jane.id,
      kind: "lunch",
    });
    await w.store.transitionNudge(w.ws.id, cyNudge.id, ["pending"], { status: "sent" });
    const other = await w.store.createContact(w.ws.id, { displayName: "Omar Haddad", status: "tracked" }, [
      { kind: "name", normalized: `omar haddad ${provider}`, display: "Omar Haddad" },
    ]);
    const notCy = await planLunch(deps(), {
      workspace: w.ws,
      organizer: bo,
      contactId: jane.id,
      nudgeId: cyNudge.id,
      on,
    });
    expect(notCy).toEqual({ ok: false, field: null, message: "This prompt was meant for someone else." });
    const wrongContact = await planLunch(deps(), {
      workspace: w.ws,
      organizer: bo,
      contactId: other.id,
      nudgeId: nudge.id,
      on,
    });
    expect(wrongContact).toEqual({
      ok: false,
      field: null,
      message: "This prompt was meant for someone else.",
    });
    const unknown = await planLunch(deps(), {
      workspace: w.ws,
      organizer: bo,
      contactId: jane.id,
      nudgeId: "nope",
      on,
    });
    expect(unknown).toMatchObject({ ok: false, message: "This prompt no longer exists." });
    expect((await w.store.getNudge(w.ws.id, cyNudge.id))?.status).toBe("sent");
    expect((await w.store.getNudge(w.ws.id, nudge.id))?.status).toBe("sent");
    expect(await lunches()).toHaveLength(0);
    expect(chat.sent).toHaveLength(0);
  });

  it("gives the prompt back when creating the lunch fails", async () => {
    const failing: Store = new Proxy(w.store, {
      get(target, prop, receiver) {
        if (prop === "createLunch") return async () => Promise.reject(new Error("database went away"));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    await expect(
      planLunch(deps({ store: failing }), {
        workspace: w.ws,
        organizer: bo,
        contactId: jane.id,
        nudgeId: nudge.id,
        on,
      }),
    ).rejects.toThrow("database went away");
    expect((await w.store.getNudge(w.ws.id, nudge.id))?.status).toBe("sent");
    expect(chat.sent).toHaveLength(0);
    // And the prompt still works.
    expect(
      await planLunch(deps(), { workspace: w.ws, organizer: bo, contactId: jane.id, nudgeId: nudge.id, on }),
    ).toMatchObject({ ok: true });
  });

  it("plans once when two submits race for the same prompt", async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        planLunch(deps(), { workspace: w.ws, organizer: bo, contactId: jane.id, nudgeId: nudge.id, on }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok))
      expect(r).toMatchObject({ message: "Already handled: a lunch with Jane Doe is planned." });
    expect(await lunches()).toHaveLength(1);
  });

  it("refuses a date in the past in the organizer's own words and zone", async () => {
    const r = await planLunch(deps(), {
      workspace: w.ws,
      organizer: bo,
      contactId: jane.id,
      nudgeId: nudge.id,
      on: { year: 2026, month: 11, day: 17, hour: 12, minute: 30 },
    });
    expect(r).toEqual({
      ok: false,
      field: "date",
      message: "Tue 17 Nov, 12:30 is in the past; pick a later date or time.",
    });
    expect((await w.store.getNudge(w.ws.id, nudge.id))?.status).toBe("sent");
  });

  it("refuses unknown, outside and bot guests under the teammates field; a failed note doesn't undo the lunch", async () => {
    const teammates: PlanLunchDeps["teammates"] = async (id) => {
      if (id === "UEXT") return { ok: false, reason: "external", name: "Jane Doe" };
      if (id === "UHELPER") return { ok: false, reason: "bot", name: "Helper Bot" };
      const m = await w.store.getMember(w.ws.id, id);
      return m ? { ok: true, member: m } : { ok: false, reason: "unknown" };
    };
    const input = { workspace: w.ws, organizer: bo, contactId: jane.id, on };
    expect(await planLunch(deps({ teammates }), { ...input, withUserIds: ["UNOBODY"] })).toEqual({
      ok: false,
      field: "with",
      message:
        "One of the teammates you picked isn't someone I know in this workspace yet. Pick teammates from the list.",
    });
    expect(await planLunch(deps({ teammates }), { ...input, withUserIds: ["UEXT"] })).toMatchObject({
      field: "with",
      message: "Jane Doe is outside your team. Pick teammates only.",
    });
    expect(await planLunch(deps({ teammates }), { ...input, withUserIds: ["UHELPER"] })).toMatchObject({
      field: "with",
      message: "Helper Bot is a bot.",
    });
    expect(await w.store.getMember(w.ws.id, "UNOBODY")).toBeNull();
    expect(await lunches()).toHaveLength(0);

    chat.failFor = "UCY";
    const failed: string[] = [];
    const r = await planLunch(deps({ teammates, onNotifyError: (_e, m) => failed.push(m.platformUserId) }), {
      ...input,
      withUserIds: ["UCY", "UBO"],
    });
    expect(r).toMatchObject({ ok: true });
    expect(failed).toEqual(["UCY"]);
    expect(chat.sent.map((s) => s.to)).toEqual(["UBO"]);
    expect((await lunches())[0]?.attendeeIds).toEqual([cy.id]);
  });
});
