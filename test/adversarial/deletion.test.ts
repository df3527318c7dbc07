// Deletion leaves nothing behind: `/offline forget-me` and an uninstall (app_uninstalled,
// tokens_revoked), over the real Slack app and HTTP, counted per table on both databases. The
// tables come from the database's own catalog, so a table added later is checked too (or the test
// fails until someone says why it may keep rows).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Member, Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { countAll, countWhere, listTables } from "../helpers/outbound-tables.ts";
import { type SlackHarness, slackTs, startSlackHarness } from "../helpers/slack-signing.ts";

/** Tables without a workspaceId column, and how each is checked (or why it holds no workspace data). */
const NOT_PER_WORKSPACE: Record<string, string> = {
  _prisma_migrations: "schema history",
  JobRun: "scheduler history: job names, fire times and counts (pruned after 30 days)",
  Workspace: "checked by id",
  LunchAttendee: "checked by the workspace's lunch ids",
};
const MEMBER_COLUMNS = ["memberId", "organizerId"];

describe.each(PROVIDERS)("deletion on %s", (provider) => {
  let h: SlackHarness;
  const db = () => h.app.database.db;

  beforeAll(async () => {
    h = await startSlackHarness(provider);
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    await h.reset();
  });

  let seq = 0;
  const say = async (user: string, text: string) => {
    seq++;
    await h.event({
      type: "message",
      channel: "C0SALES",
      channel_type: "channel",
      user,
      text,
      ts: slackTs("2026-11-17T15:00:00Z", seq),
    });
    await h.settle();
  };
  const reply = async (user: string, text: string) => {
    const { responseId } = await h.command(user, text);
    await h.settle();
    return JSON.stringify(h.responses(responseId));
  };
  const member = async (ws: Workspace, id: string) => (await h.app.store.getMember(ws.id, id)) as Member;

  /** Bo talks about a contact nobody else mentions, both talk about Jane; Bo meets, lunches, is prompted. */
  async function seed(): Promise<{ ws: Workspace; bo: Member; onlyBo: string; jane: string }> {
    for (let i = 0; i < 3; i++) await say("UBO", `wrote to only.bo@globex.example, round ${i}`);
    await say("UBO", "notes from <@UEXT> call");
    await say("UANN", "notes from <@UEXT> call too");
    expect(await reply("UBO", "met <@UEXT>")).toContain("Noted");
    expect(await reply("UBO", "lunch <@UEXT> on 2026-11-25 at Cafe Nord with <@UANN>")).toContain(
      "is planned",
    );
    const ws = await h.workspace();
    const bo = await member(ws, "UBO");
    const onlyBo = await h.app.store.findContactByAlias(ws.id, "only.bo@globex.example");
    const jane = await h.app.store.findContactByPlatformUser(ws.id, "UEXT");
    expect(onlyBo && jane).toBeTruthy();
    await h.app.store.createNudge(ws.id, { memberId: bo.id, contactId: onlyBo?.id ?? "", kind: "candidate" });
    // Bo's connected calendar (sealed tokens, as the OAuth callback stores them).
    await h.app.store.saveCalendarGrant(ws.id, bo.id, {
      provider: "google",
      accountEmail: "bo@northwind.example",
      dataEnc: "v1.sealed.tokens.of-bo",
    });
    return { ws, bo, onlyBo: onlyBo?.id ?? "", jane: jane?.id ?? "" };
  }

  it("forget-me leaves 0 rows about the person, and 0 contacts that only their messages created", async () => {
    const { ws, bo, onlyBo, jane } = await seed();
    const tables = await listTables(h.app.database);
    const byMember = async () => {
      const counts: Record<string, number> = {};
      for (const t of tables)
        for (const c of MEMBER_COLUMNS)
          if (t.columns.includes(c))
            counts[`${t.name}.${c}`] = await countWhere(h.app.database, t.name, c, [bo.id]);
      return counts;
    };
    const byContact = async () => {
      const counts: Record<string, number> = {
        Contact: await countWhere(h.app.database, "Contact", "id", [onlyBo]),
      };
      for (const t of tables)
        if (t.columns.includes("contactId"))
          counts[t.name] = await countWhere(h.app.database, t.name, "contactId", [onlyBo]);
      return counts;
    };
    const lunchIds = (await db().lunch.findMany({ where: { organizerId: bo.id } })).map((l) => l.id);
    // Before: the person is everywhere (so the counts below can fail).
    const before = await byMember();
    for (const key of [
      "Mention.memberId",
      "Nudge.memberId",
      "Meeting.memberId",
      "Lunch.organizerId",
      "CalendarGrant.memberId",
    ])
      expect(before[key], key).toBeGreaterThan(0);
    expect((await byContact()).ContactAlias).toBeGreaterThan(0);

    expect(await reply("UBO", "forget-me confirm")).toContain("I deleted everything I had about you");

    const after = await byMember();
    expect(after).toEqual(Object.fromEntries(Object.keys(after).map((k) => [k, 0])));
    expect(await countWhere(h.app.database, "LunchAttendee", "lunchId", lunchIds)).toBe(0);
    const contactRows = await byContact();
    expect(contactRows).toEqual(Object.fromEntries(Object.keys(contactRows).map((k) => [k, 0])));
    // What stays: the opted-out tombstone (so their messages stay untracked), and Jane, whom Ann
    // talks about too.
    expect(await db().member.findFirstOrThrow({ where: { id: bo.id } })).toMatchObject({
      optedOut: true,
      displayName: "",
      realName: "",
      email: null,
      tz: null,
      dmRef: null,
    });
    expect(await db().contact.count({ where: { id: jane } })).toBe(1);
    expect(await db().mention.count({ where: { workspaceId: ws.id, contactId: jane } })).toBe(1);
    // No event payload (message text) of theirs waits in the inbox.
    const pending = await db().processedEvent.findMany({ where: { payload: { not: null } } });
    expect(pending.filter((e) => e.payload?.includes("UBO"))).toEqual([]);
  });

  it.each(["app_uninstalled", "tokens_revoked"])(
    "%s leaves 0 rows of the workspace in any table",
    async (type) => {
      const { ws } = await seed();
      // Another workspace in the same database keeps its rows.
      const other = await h.app.store.upsertWorkspace({
        platform: "slack",
        externalId: "T0OTHER",
        name: "Other",
      });
      await h.app.store.createContact(other.id, { displayName: "Keep Me", status: "tracked" }, []);
      const lunchIds = (await db().lunch.findMany({ where: { workspaceId: ws.id } })).map((l) => l.id);
      const tables = await listTables(h.app.database);
      const count = async () => {
        const counts: Record<string, number> = {};
        for (const t of tables) {
          if (t.columns.includes("workspaceId"))
            counts[t.name] = await countWhere(h.app.database, t.name, "workspaceId", [ws.id]);
          else if (t.name === "Workspace")
            counts[t.name] = await countWhere(h.app.database, t.name, "id", [ws.id]);
          else if (t.name === "LunchAttendee")
            counts[t.name] = await countWhere(h.app.database, t.name, "lunchId", lunchIds);
          else
            expect(
              NOT_PER_WORKSPACE,
              `table ${t.name} has no workspaceId: how is it deleted?`,
            ).toHaveProperty(t.name);
        }
        return counts;
      };
      const before = await count();
      for (const t of [
        "Workspace",
        "Member",
        "Contact",
        "ContactAlias",
        "Mention",
        "Lunch",
        "LunchAttendee",
        "Meeting",
        "Nudge",
        "CalendarGrant",
      ])
        expect(before[t], t).toBeGreaterThan(0);

      const event =
        type === "tokens_revoked" ? { type, tokens: { oauth: [], bot: [h.fake.botUserId] } } : { type };
      expect((await h.event(event)).status).toBe(200);
      await h.settle();

      const after = await count();
      expect(after).toEqual(Object.fromEntries(Object.keys(after).map((k) => [k, 0])));
      expect(await db().contact.count({ where: { workspaceId: other.id } })).toBe(1);
      expect(await countAll(h.app.database, "Workspace")).toBe(1);
    },
  );
});
