// The lunch and settings forms through the real Bolt app: signed view_submission payloads into the
// real server, against the fake Slack Web API and a real database. Covers ownership of the prompt a
// form names, duplicate submits, impossible dates, unknown people, attendee notes on the command
// path, `help lunch`, and every setting saved (or refused per field) from the modal.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commandHelp, helpText } from "../../src/core/commands.ts";
import { SETTINGS_FIELD_NAMES } from "../../src/core/forms/settings.ts";
import type { Contact, Member, Nudge, Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { type ModalBlock, modalStateOf } from "../helpers/forms.ts";
import { type SlackHarness, startSlackHarness, viewSubmission } from "../helpers/slack-signing.ts";

describe.each(PROVIDERS)("Slack forms on %s", (provider) => {
  let h: SlackHarness;
  let ws: Workspace;
  let bo: Member;
  let jane: Contact;
  let nudge: Nudge;
  const db = () => h.app.database.db;

  beforeAll(async () => {
    h = await startSlackHarness(provider);
  });
  beforeEach(async () => {
    await h.reset();
    ws = await h.workspace();
    await h.app.store.updateWorkspace(ws.id, { timezone: "America/New_York" });
    ws = (await h.app.store.getWorkspace(ws.id)) as Workspace;
    bo = await h.app.service.member(ws, {
      platformUserId: "UBO",
      displayName: "Bo Chen",
      external: false,
      tz: "America/New_York",
    });
    await h.app.service.member(ws, {
      platformUserId: "UCY",
      displayName: "Cy Park",
      external: false,
      tz: "Europe/Berlin",
    });
    jane = await h.app.store.createContact(ws.id, { displayName: "Jane Doe", status: "tracked" }, [
      { kind: "name", normalized: "jane doe", display: "Jane Doe" },
    ]);
    nudge = await sentNudge(ws, bo, jane);
  });
  afterAll(async () => {
    await h.close();
  });

  async function sentNudge(w: Workspace, m: Member, c: Contact): Promise<Nudge> {
    const n = await h.app.store.createNudge(w.id, { memberId: m.id, contactId: c.id, kind: "lunch" });
    return (await h.app.store.transitionNudge(w.id, n.id, ["pending"], { status: "sent" })) as Nudge;
  }

  const lunchValues = (date: string, users: string[] = [], time = "12:30") => ({
    date: { date: { type: "datepicker", selected_date: date } },
    time: { time: { type: "timepicker", selected_time: time } },
    with: { with: { type: "multi_users_select", selected_users: users } },
  });
  const submitLunch = (o: {
    userId?: string;
    nudgeId?: string | null;
    contactId?: string;
    date?: string;
    users?: string[];
    time?: string;
  }) =>
    h.interaction(
      viewSubmission({
        userId: o.userId ?? "UBO",
        callbackId: "lunch_plan",
        privateMetadata: JSON.stringify({
          contactId: o.contactId ?? jane.id,
          nudgeId: o.nudgeId === undefined ? nudge.id : o.nudgeId,
          channel: null,
          ts: null,
        }),
        values: lunchValues(o.date ?? "2026-11-20", o.users, o.time),
      }),
    );

  describe("the lunch modal", () => {
    it("refuses a prompt that belongs to another member of the same workspace; nothing changes", async () => {
      const cy = (await h.app.store.getMember(ws.id, "UCY")) as Member;
      const cyNudge = await sentNudge(ws, cy, jane);
      const res = await submitLunch({ userId: "UBO", nudgeId: cyNudge.id });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        response_action: "errors",
        errors: { date: "This prompt was meant for someone else." },
      });
      await h.settle();
      expect((await h.app.store.getNudge(ws.id, cyNudge.id))?.status).toBe("sent");
      expect(await db().lunch.count()).toBe(0);
      expect(h.fake.callsTo("files.completeUploadExternal")).toHaveLength(0);
    });

    it("refuses a prompt from another workspace; nothing changes there or here", async () => {
      const other = await h.app.store.upsertWorkspace({
        platform: "slack",
        externalId: "T0OTHER",
        name: "Other",
      });
      const otto = await h.app.service.member(other, {
        platformUserId: "UOTTO",
        displayName: "Otto",
        external: false,
      });
      const theirJane = await h.app.store.createContact(
        other.id,
        { displayName: "Jane Doe", status: "tracked" },
        [{ kind: "name", normalized: "jane doe", display: "Jane Doe" }],
      );
      const theirs = await sentNudge(other, otto, theirJane);
      for (const contactId of [jane.id, theirJane.id]) {
        const res = await submitLunch({ nudgeId: theirs.id, contactId });
        expect(res.json).toMatchObject({
          response_action: "errors",
          errors: { date: expect.stringMatching(/no longer exists/) },
        });
      }
      await h.settle();
      expect((await h.app.store.getNudge(other.id, theirs.id))?.status).toBe("sent");
      expect(await db().lunch.count()).toBe(0);
    });

    it("plans one lunch when the same modal is submitted twice at once", async () => {
      const results = await Promise.all([submitLunch({ users: ["UCY"] }), submitLunch({ users: ["UCY"] })]);
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      // The copy either loses the race for the prompt (and says so) or is recognised as the same
      // submission and closes quietly: never a second lunch.
      for (const r of results.filter((x) => x.text !== ""))
        expect(r.json).toEqual({
          response_action: "errors",
          errors: { date: "Already handled: a lunch with Jane Doe is planned." },
        });
      await h.settle();
      expect(await db().lunch.count()).toBe(1);
      expect((await h.app.store.getNudge(ws.id, nudge.id))?.status).toBe("planned");
      // One invite each for Bo and Cy, not two.
      expect(
        h.fake
          .callsTo("files.completeUploadExternal")
          .map((c) => c.args.channel_id)
          .sort(),
      ).toEqual(["DUBO", "DUCY"]);
    });

    it.each([
      ["2031-02-30", "2031-02-30 is not a real date: February 2031 has 28 days."],
      ["2031-13-01", "There is no month 13; months go from 01 to 12."],
    ])(
      "refuses the impossible date %s under the date field (it used to be stored rolled over)",
      async (date, message) => {
        const res = await submitLunch({ date });
        expect(res.json).toEqual({ response_action: "errors", errors: { date: message } });
        await h.settle();
        expect(await db().lunch.count()).toBe(0);
        expect((await h.app.store.getNudge(ws.id, nudge.id))?.status).toBe("sent");
      },
    );

    it("refuses a date in the past with the date in the member's zone", async () => {
      const res = await submitLunch({ date: "2026-11-18", time: "09:15" });
      expect(res.json).toEqual({
        response_action: "errors",
        errors: { date: "Wed 18 Nov, 09:15 is in the past; pick a later date or time." },
      });
    });

    it("refuses someone Slack doesn't know (user_not_found): never a member, never in the digest", async () => {
      const res = await submitLunch({ users: ["UNOBODY"] });
      expect(res.json).toEqual({
        response_action: "errors",
        errors: {
          with: "One of the teammates you picked isn't someone I know in this workspace yet. Pick teammates from the list.",
        },
      });
      expect(h.fake.callsTo("users.info").some((c) => c.args.user === "UNOBODY")).toBe(true);
      await h.settle();
      expect(await h.app.store.getMember(ws.id, "UNOBODY")).toBeNull();
      expect(await db().lunch.count()).toBe(0);
      expect((await h.app.store.getNudge(ws.id, nudge.id))?.status).toBe("sent");
      const digest = await h.app.service.digestView(ws);
      expect(JSON.stringify(digest)).not.toContain("UNOBODY");
      // A bot is refused too.
      expect((await submitLunch({ users: ["UHELPER"] })).json).toMatchObject({
        errors: { with: "Helper Bot is a bot." },
      });
    });
  });

  describe("`/offline lunch` and `/offline help lunch`", () => {
    const reply = async (user: string, text: string) => {
      const { responseId } = await h.command(user, text);
      await h.settle();
      return h.responses(responseId).map((r) => String(r.text));
    };

    it("tells the attendees named with @ (only the modal used to)", async () => {
      const [text] = await reply("UBO", "lunch Jane Doe on 2026-11-26 12:30 at Cafe Nord with <@UCY|cy>");
      expect(text).toContain(
        "Lunch with Jane Doe on Thu 26 Nov, 12:30 at Cafe Nord with Cy Park is planned.",
      );
      const uploads = h.fake.callsTo("files.completeUploadExternal");
      expect(uploads.map((c) => c.args.channel_id).sort()).toEqual(["DUBO", "DUCY"]);
      expect(uploads.find((c) => c.args.channel_id === "DUCY")?.args.initial_comment).toBe(
        "Bo Chen planned lunch with Jane Doe on Thu 26 Nov, 18:30 at Cafe Nord and added you.",
      );
    });

    it("opens the DM afresh when the remembered one is gone, and delivers the invite there", async () => {
      await h.app.service.saveDmRef(ws, bo, "DGONE");
      // Slack no longer knows the remembered DM: the first upload is refused.
      h.fake.once("files.completeUploadExternal", { ok: false, error: "channel_not_found" });
      const [text] = await reply("UBO", "lunch Jane Doe on 2026-11-26 12:30 at Cafe Nord");
      expect(text).toContain("Lunch with Jane Doe on Thu 26 Nov, 12:30 at Cafe Nord");
      const uploads = h.fake.callsTo("files.completeUploadExternal").map((c) => c.args.channel_id);
      expect(uploads).toEqual(["DGONE", "DUBO"]);
      expect(h.fake.callsTo("conversations.open")).toHaveLength(1);
      expect((await h.app.store.getMember(ws.id, "UBO"))?.dmRef).toBe("DUBO");
    });

    it("refuses an @mention of someone Slack doesn't know, and plans nothing", async () => {
      const [text] = await reply("UBO", "lunch Jane Doe on 2026-11-26 with <@UNOBODY>");
      expect(text).toContain("One of the teammates you picked isn't someone I know in this workspace yet.");
      expect(await h.app.store.getMember(ws.id, "UNOBODY")).toBeNull();
      expect(await db().lunch.count()).toBe(0);
    });

    it("prints only the topic's help for `help lunch`", async () => {
      const [topic] = await reply("UBO", "help lunch");
      expect(topic).toBe(`\`\`\`${commandHelp("lunch", { now: h.clock.now() })}\`\`\``);
      expect(topic).not.toContain("forget-me");
      const [all] = await reply("UBO", "help");
      expect(all).toBe(`\`\`\`${helpText({ now: h.clock.now() })}\`\`\``);
    });
  });

  describe("the settings modal", () => {
    async function openSettings(): Promise<{
      callback_id: string;
      private_metadata: string;
      blocks: ModalBlock[];
    }> {
      await h.command("UANN", "settings", { triggerId: "trig" });
      await h.settle();
      return h.fake.callsTo("views.open").at(-1)?.args.view as {
        callback_id: string;
        private_metadata: string;
        blocks: ModalBlock[];
      };
    }
    it("shows every setting and saves the four that no platform could change before", async () => {
      const view = await openSettings();
      expect(view.blocks.filter((b) => b.type === "input").map((b) => b.block_id)).toEqual([
        ...SETTINGS_FIELD_NAMES,
      ]);
      const submit = await h.interaction(
        viewSubmission({
          userId: "UANN",
          callbackId: view.callback_id,
          privateMetadata: view.private_metadata,
          values: modalStateOf(view, {
            recentlyMetDays: { value: "30" },
            digestTopN: { value: "10" },
            coverageDays: { value: "120" },
            retentionDays: { value: "180" },
            candidateMinTeammates: { value: "3" },
          }),
        }),
      );
      expect(submit.status).toBe(200);
      expect(submit.text).toBe("");
      const saved = await h.workspace();
      expect(saved.settings).toMatchObject({
        recentlyMetDays: 30,
        digestTopN: 10,
        coverageDays: 120,
        retentionDays: 180,
        candidateMinTeammates: 3,
      });
    });

    it("answers a bad value in a new field with an error under that field, and saves nothing", async () => {
      const view = await openSettings();
      const before = await h.workspace();
      const submit = await h.interaction(
        viewSubmission({
          userId: "UANN",
          callbackId: view.callback_id,
          privateMetadata: view.private_metadata,
          values: modalStateOf(view, { retentionDays: { value: "3" }, digestTopN: { value: "0" } }),
        }),
      );
      expect(submit.json).toEqual({
        response_action: "errors",
        errors: {
          retentionDays: "Enter a whole number from 7 to 36500.",
          digestTopN: "Enter a whole number from 1 to 100.",
        },
      });
      expect(await h.workspace()).toEqual(before);
    });
  });
});
