import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS } from "../helpers/db.ts";
import { type ModalBlock, modalStateOf } from "../helpers/forms.ts";
import {
  type SlackHarness,
  slackTs,
  startSlackHarness,
  TEAM_ID,
  viewSubmission,
} from "../helpers/slack-signing.ts";

// `/offline` end to end: signed slash commands into the real server, replies read from the
// response_url the fake Slack serves, modals from the views.open calls it recorded.

describe.each(PROVIDERS)("Slack /offline on %s", (provider) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness(provider);
  });
  beforeEach(async () => {
    await h.reset();
  });
  afterAll(async () => {
    await h.close();
  });

  const db = () => h.app.database.db;
  /** Runs a command and returns the replies posted to its response_url. */
  async function run(user: string, text: string): Promise<Array<Record<string, unknown>>> {
    const res = await h.command(user, text);
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    await h.settle();
    return h.responses(res.responseId);
  }
  async function reply(user: string, text: string): Promise<string> {
    const replies = await run(user, text);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.response_type).toBe("ephemeral");
    return String(replies[0]!.text);
  }
  async function mentionJane(user = "UBO", seq = 1): Promise<void> {
    await h.event({
      type: "message",
      channel: "C0SALES",
      channel_type: "channel",
      user,
      text: `notes from <@UEXT> call ${seq}`,
      ts: slackTs("2026-11-17T15:00:00Z", seq),
    });
    await h.settle();
  }

  it("shows help for an empty command and for `help`, and usage for mistakes", async () => {
    const empty = await reply("UBO", "");
    expect(empty).toContain("/offline track NAME");
    expect(empty).toContain("/offline forget-me");
    expect(await reply("UBO", "help")).toBe(empty);
    const unknown = await reply("UBO", "lnch Jane");
    expect(unknown).toMatch(/lnch/);
    const bad = await reply("UBO", "met Jane Doe on 2026-02-30");
    expect(bad).toContain("not a real date");
    expect(bad).toContain("/offline met CONTACT");
  });

  it("tracks, lists, untracks and ignores contacts", async () => {
    expect(await reply("UBO", "track Jane Doe, jane@acme.example, @janedoe")).toContain("Tracking Jane Doe");
    const ws = await h.workspace();
    const jane = await h.app.store.findContactByAlias(ws.id, "jane@acme.example");
    expect(jane).toMatchObject({ displayName: "Jane Doe", status: "tracked" });

    await h.event({
      type: "message",
      channel: "C0SALES",
      channel_type: "channel",
      user: "UCY",
      text: "Jane Doe replied",
      ts: slackTs("2026-11-17T15:00:00Z", 1),
    });
    await h.settle();
    const list = await reply("UBO", "contacts");
    expect(list).toContain("1. Jane Doe: 1 mention by 1 teammate, never met in person");

    expect(await reply("UBO", "untrack jane@acme.example")).toContain("Stopped tracking Jane Doe");
    expect(await reply("UBO", "track Omar Haddad")).toContain("Tracking Omar Haddad");
    expect(await reply("UBO", "ignore Omar Haddad")).toContain("Hidden for everyone on the team");
    expect(
      await db().contact.findMany({
        orderBy: { displayName: "asc" },
        select: { displayName: true, status: true },
      }),
    ).toEqual([
      { displayName: "Jane Doe", status: "ignored" },
      { displayName: "Omar Haddad", status: "ignored" },
    ]);
  });

  it("tracks a Slack Connect user by mention, and refuses a teammate", async () => {
    expect(await reply("UBO", "track <@UEXT|jane>")).toContain("Tracking Jane Doe");
    expect(await db().contact.findFirst({ where: { platformUserId: "UEXT" } })).toMatchObject({
      status: "tracked",
    });
    expect(await reply("UBO", "track <@UCY|cy>")).toContain("is on your team");
  });

  it("records a meeting with `met`", async () => {
    await mentionJane();
    expect(await reply("UBO", "met <@UEXT> yesterday")).toContain("you met Jane Doe");
    const meeting = await db().meeting.findFirstOrThrow({ include: { member: true } });
    expect(meeting).toMatchObject({ source: "command" });
    expect(meeting.member.platformUserId).toBe("UBO");
  });

  it("plans a lunch with `lunch` and puts the .ics invite in the caller's DM", async () => {
    await mentionJane("UCY");
    await mentionJane("UBO", 2);
    const text = await reply("UBO", "lunch Jane Doe on 2026-11-26 12:30 at Cafe Nord with <@UCY|cy>");
    expect(text).toContain("Lunch with Jane Doe on Thu 26 Nov, 12:30 at Cafe Nord with Cy Park is planned.");
    expect(text).toContain("calendar invite in our DM");
    const lunch = await db().lunch.findFirstOrThrow({
      include: { attendees: { include: { member: true } } },
    });
    expect(lunch.place).toBe("Cafe Nord");
    expect(lunch.scheduledFor?.toISOString()).toBe("2026-11-26T17:30:00.000Z");
    expect(lunch.attendees.map((a) => a.member.platformUserId)).toEqual(["UCY"]);

    expect(h.fake.callsTo("conversations.open")[0]?.args.users).toBe("UBO");
    const [getUrl] = h.fake.callsTo("files.getUploadURLExternal");
    expect(getUrl?.args.filename).toBe("lunch-with-jane-doe.ics");
    const [upload] = h.fake.callsTo("file_upload");
    expect(String(upload?.args.content)).toContain("BEGIN:VCALENDAR");
    expect(String(upload?.args.content)).toContain("SUMMARY:Lunch with Jane Doe");
    const [complete] = h.fake.callsTo("files.completeUploadExternal");
    expect(complete?.args.channel_id).toBe("DUBO");
    expect(String(complete?.args.initial_comment)).toContain("Lunch with Jane Doe");
    expect((await h.app.store.getMember((await h.workspace()).id, "UBO"))?.dmRef).toBe("DUBO");
  });

  it("previews the digest to the caller only", async () => {
    await reply("UBO", "track Jane Doe");
    await h.event({
      type: "message",
      channel: "C0SALES",
      channel_type: "channel",
      user: "UCY",
      text: "Jane Doe & <team> sent notes",
      ts: slackTs("2026-11-17T15:00:00Z", 1),
    });
    await h.settle();
    // The week in progress, asked for by name (plain `digest preview` shows last week's).
    const [preview] = await run("UBO", "digest preview 2026-W47");
    expect(preview?.response_type).toBe("ephemeral");
    expect(String(preview?.text)).toContain("This week so far");
    expect(String(preview?.text)).toContain("Still online-only");
    const blocks = preview?.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks[0]).toMatchObject({ type: "header", text: { text: "Take it offline — week 47" } });
    expect(JSON.stringify(blocks)).toContain("*Jane Doe*");
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("posts the digest with `digest now` (admins only, once a week) with metadata for crash recovery", async () => {
    const ws = await h.workspace();
    expect(await reply("UANN", "digest now")).toContain("No digest channel");
    await h.app.store.updateWorkspace(ws.id, { digestChannel: "C0GENERAL", timezone: "America/New_York" });
    expect(await reply("UBO", "digest now")).toContain("Only workspace admins");
    // Mid-W47, `digest now` posts the last complete week.
    expect(await reply("UANN", "digest now")).toContain("Posted the digest for 2026-W46");
    const posts = h.fake.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({
      channel: "C0GENERAL",
      metadata: { event_type: "tio_digest", event_payload: { key: `${ws.id}:2026-W46` } },
    });
    expect(String(posts[0]!.args.text)).toContain("Take it offline — week 46");
    expect(await reply("UANN", "digest now")).toContain("already posted");
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
    const digest = await db().digest.findFirstOrThrow();
    expect(digest.messageRef).toBe(
      `C0GENERAL:${posts[0]!.args.ts ?? h.fake.messages.get("C0GENERAL")![0]!.ts}`,
    );
  });

  it("finds a digest posted before a crash instead of posting it twice", async () => {
    const ws = await h.app.store.updateWorkspace((await h.workspace()).id, {
      digestChannel: "C0GENERAL",
      timezone: "America/New_York",
    });
    // The digest a post in W47 makes is about W46, the last complete week.
    const key = `${ws.id}:2026-W46`;
    h.fake.addMessage("C0GENERAL", { text: "older chatter" });
    const posted = h.fake.addMessage("C0GENERAL", {
      text: "digest",
      metadata: { event_type: "tio_digest", event_payload: { key } },
      user: "UBOT",
      bot_id: "BBOT",
    });
    h.fake.addMessage("C0GENERAL", { text: "later chatter" });
    // A claim left behind by a process that died around the post (status "posting", an hour old).
    const claimedAt = new Date("2026-11-18T14:00:00Z");
    expect(await h.app.store.claimDigest(ws.id, "2026-W46", "C0GENERAL", claimedAt, 60_000)).toBe("claimed");
    expect(await h.app.store.markDigestPosting(ws.id, "2026-W46", claimedAt)).toBe(true);
    const result = await h.app.service.postWeeklyDigest(ws, h.platform.chat);
    expect(result.posted).toBe(false);
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(0);
    expect(h.fake.callsTo("conversations.history")[0]?.args).toMatchObject({
      channel: "C0GENERAL",
      include_all_metadata: true,
    });
    expect(await db().digest.findFirstOrThrow()).toMatchObject({ messageRef: `C0GENERAL:${posted.ts}` });
  });

  it("opens the settings modal for admins and saves a valid submission", async () => {
    expect(await reply("UBO", "settings")).toContain("Only workspace admins");
    expect(h.fake.callsTo("views.open")).toHaveLength(0);
    const res = await h.command("UANN", "settings", { triggerId: "trigger-123" });
    await h.settle();
    expect(h.responses(res.responseId)).toHaveLength(0);
    const [open] = h.fake.callsTo("views.open");
    expect(open?.args.trigger_id).toBe("trigger-123");
    const view = open!.args.view as { callback_id: string; private_metadata: string; blocks: ModalBlock[] };
    expect(view.callback_id).toBe("workspace_settings");
    const ws = await h.workspace();
    // The admin's profile time zone became the workspace's.
    expect(ws.timezone).toBe("America/New_York");
    // Before the change, an address at nw-labs.example is someone outside.
    const said = (text: string, seq: number) =>
      h.event({
        type: "message",
        channel: "C0GENERAL",
        channel_type: "channel",
        user: "UBO",
        text,
        ts: slackTs(new Date(), seq),
        team: TEAM_ID,
      });
    await said("mail sam@nw-labs.example about it", 1);
    await h.settle();
    const contactsBefore = await h.app.database.db.contact.count();
    expect(contactsBefore).toBeGreaterThan(0);

    const submit = await h.interaction(
      viewSubmission({
        userId: "UANN",
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: modalStateOf(view, {
          digestChannel: { selected_conversation: "C0GENERAL" },
          digestDay: { selected_option: { value: "5" } },
          digestHour: { selected_option: { value: "16" } },
          timezone: { selected_option: { value: "Europe/Berlin" } },
          mentionThreshold: { value: "4" },
          workingDays: { selected_options: [{ value: "1" }, { value: "3" }] },
          internalDomains: { value: "northwind.example, @nw-labs.example\nnorthwind.example" },
        }),
      }),
    );
    expect(submit.status).toBe(200);
    expect(submit.text).toBe("");
    const saved = await h.workspace();
    expect(saved).toMatchObject({
      digestChannel: "C0GENERAL",
      digestDay: 5,
      digestHour: 16,
      timezone: "Europe/Berlin",
    });
    expect(saved.settings).toMatchObject({
      mentionThreshold: 4,
      workingDays: [1, 3],
      internalDomains: ["northwind.example", "nw-labs.example"],
      workingHourStart: 10,
    });
    // The very next message already counts the domain as internal (no stale cached settings).
    await said("mail lee@nw-labs.example about it", 2);
    await h.settle();
    expect(await h.app.database.db.contact.count()).toBe(contactsBefore);
  });

  it("answers an invalid settings submission with per-field errors and saves nothing", async () => {
    await h.command("UANN", "settings");
    await h.settle();
    const view = h.fake.callsTo("views.open")[0]!.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: ModalBlock[];
    };
    const before = await h.workspace();
    const submit = await h.interaction(
      viewSubmission({
        userId: "UANN",
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: modalStateOf(view, {
          // Not one of the offered zones: only a crafted payload sends it, and it is refused.
          timezone: { selected_option: { value: "Mars/Olympus" } },
          mentionThreshold: { value: "0" },
          workingDays: { selected_options: [] },
          workingHourStart: { selected_option: { value: "15" } },
          workingHourEnd: { selected_option: { value: "9" } },
          internalDomains: { value: "not a domain" },
        }),
      }),
    );
    expect(submit.status).toBe(200);
    expect(submit.json).toEqual({
      response_action: "errors",
      errors: {
        timezone: "Mars/Olympus is not a time zone I know. Pick one from the list, like Europe/Berlin.",
        mentionThreshold: expect.stringContaining("from 1 to 1000"),
        workingDays: expect.stringContaining("at least one day"),
        workingHourEnd: expect.stringContaining("start before they end"),
        internalDomains: expect.stringContaining("not a domain"),
      },
    });
    expect(await h.workspace()).toEqual(before);

    // A non-admin who got hold of the form can't save it either.
    const sneaky = await h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: modalStateOf(view),
      }),
    );
    expect(sneaky.json).toMatchObject({
      response_action: "errors",
      errors: { timezone: expect.stringContaining("Only workspace admins") },
    });
  });

  it("pauses, resumes and reports stats", async () => {
    expect(await reply("UBO", "pause 2w")).toContain("Paused until Wed 2 Dec, 10:00 (14 days)");
    const ws = await h.workspace();
    expect((await h.app.store.getMember(ws.id, "UBO"))?.pausedUntil?.toISOString()).toBe(
      "2026-12-02T15:00:00.000Z",
    );
    expect(await reply("UBO", "pause")).toContain(
      "Paused until you resume: no prompts until you say `/offline resume`.",
    );
    expect(await h.app.store.getMember(ws.id, "UBO")).toMatchObject({ paused: true, pausedUntil: null });
    expect(await reply("UBO", "stats")).toContain("Prompts are paused until you resume.");
    expect(await reply("UBO", "resume")).toContain("Prompts are on again");
    expect(await h.app.store.getMember(ws.id, "UBO")).toMatchObject({ paused: false, pausedUntil: null });
    expect(await reply("UBO", "stats")).toContain("Prompts are on, in your working hours.");
  });

  it("forgets the caller with `forget-me` and stops counting their messages", async () => {
    await mentionJane("UBO", 1);
    await mentionJane("UCY", 2);
    expect(await db().mention.count()).toBe(2);
    expect(await reply("UBO", "forget-me confirm")).toContain("I deleted everything I had about you");
    const bo = await db().member.findFirstOrThrow({ where: { platformUserId: "UBO" } });
    expect(bo).toMatchObject({ optedOut: true, displayName: "", email: null });
    expect(await db().mention.count({ where: { memberId: bo.id } })).toBe(0);
    await mentionJane("UBO", 3);
    expect(await db().mention.count()).toBe(1);
  });

  it("refuses people from other organizations", async () => {
    expect(await reply("UEXT", "contacts")).toContain("Only members of this workspace");
    expect(await db().member.count({ where: { platformUserId: "UEXT" } })).toBe(0);
  });

  it("still answers when users.info fails, and explains a failed digest post", async () => {
    h.fake.on("users.info", { ok: false, error: "fatal_error" });
    expect(await reply("UBO", "stats")).toContain("Last 30 days");

    h.fake.resetAll();
    for (const u of ["UANN", "UBO"])
      h.fake.addUser({ id: u, team_id: TEAM_ID, is_admin: u === "UANN", profile: { display_name: u } });
    h.platform.runtime.users.clear();
    const ws = await h.workspace();
    await h.app.store.updateWorkspace(ws.id, { digestChannel: "C0PRIVATE" });
    h.fake.once("chat.postMessage", { ok: false, error: "not_in_channel" });
    expect(await reply("UANN", "digest now")).toContain(
      "the digest channel is gone, archived, or I'm not in it. Invite me to the channel",
    );
  });
});
