import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  blockAction,
  type SlackHarness,
  slackTs,
  startSlackHarness,
  viewSubmission,
} from "../helpers/slack-signing.ts";

// Prompts as Block Kit DMs, their buttons, the lunch modal, follow-ups and the App Home switches:
// signed interactivity payloads into the real server, outcomes read from the fake Slack and the DB.

type Block = {
  type: string;
  block_id?: string;
  elements?: Array<{
    action_id: string;
    value?: string;
    text?: { text: string };
    options?: Array<{ value: string; text: { text: string } }>;
  }>;
};

/** Every choice a person can click: buttons, and the options of an overflow menu. */
const buttonsOf = (blocks: unknown) =>
  (blocks as Block[]).flatMap((b) =>
    b.type === "actions"
      ? (b.elements ?? []).flatMap((e) =>
          e.options
            ? e.options.map((o) => ({ id: e.action_id, value: o.value, label: o.text.text }))
            : [{ id: e.action_id, value: e.value, label: e.text?.text }],
        )
      : [],
  );

describe.each(PROVIDERS)("Slack buttons and modals on %s", (provider) => {
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

  /** Each of `users` mentions Jane (Slack Connect) once in #sales, in turn; processed when it returns. */
  async function mentionJane(users: string[]): Promise<void> {
    for (const [i, user] of users.entries()) {
      await h.event({
        type: "message",
        channel: "C0SALES",
        channel_type: "channel",
        user,
        text: `about <@UEXT> (${i + 1})`,
        ts: slackTs("2026-11-17T15:00:00Z", i + 1),
      });
    }
    await h.settle();
  }

  /** Bo mentions Jane (Slack Connect) three times and Cy once; the sweep DMs Bo a lunch prompt. */
  async function promptBo(): Promise<{
    ws: Workspace;
    nudgeId: string;
    channel: string;
    ts: string;
    blocks: unknown;
  }> {
    await mentionJane(["UBO", "UBO", "UBO", "UCY"]);
    const ws = await h.workspace();
    const report = await h.app.service.runNudgeSweep(ws, h.platform.chat);
    expect(report.sent).toBe(1);
    const nudge = await db().nudge.findFirstOrThrow({ include: { member: true } });
    expect(nudge.member.platformUserId).toBe("UBO");
    const [post] = h.fake.callsTo("chat.postMessage");
    const ts = h.fake.messages.get("DUBO")![0]!.ts;
    // Where Slack put it (a post to the user id lands in the DM), as a click on it reports it.
    return { ws, nudgeId: nudge.id, channel: String(post!.channel), ts, blocks: post!.args.blocks };
  }

  async function click(
    userId: string,
    actionId: string,
    value: string,
    where: { channel: string; ts: string } | "home",
  ) {
    const res = await h.interaction(
      blockAction(
        where === "home"
          ? { userId, actionId, value, view: { id: "V0HOME", type: "home" } }
          : { userId, actionId, value, channel: where.channel, messageTs: where.ts },
      ),
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    await h.settle();
  }

  const updates = () => h.fake.callsTo("chat.update");

  it("sends a lunch prompt as a Block Kit DM and remembers the DM", async () => {
    const p = await promptBo();
    // No DM known yet: posted to the user id, no conversations.open (Tier 3), the DM taken from the answer.
    expect(h.fake.callsTo("conversations.open")).toEqual([]);
    expect(h.fake.callsTo("chat.postMessage").map((c) => c.args.channel)).toEqual(["UBO"]);
    expect(p.channel).toBe("DUBO");
    const value = JSON.stringify({ n: p.nudgeId });
    const more = (a: string) => JSON.stringify({ n: p.nudgeId, a });
    expect(buttonsOf(p.blocks)).toEqual([
      { id: "prompt_plan", value, label: "Plan lunch" },
      { id: "prompt_more", value: more("snooze"), label: "Snooze 2 weeks" },
      { id: "prompt_more", value: more("met"), label: "Already met" },
      { id: "prompt_more", value: more("not-contact"), label: "Not an external contact" },
    ]);
    expect(JSON.stringify(p.blocks)).toContain("Take Jane Doe to lunch?");
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "sent", messageRef: `DUBO:${p.ts}` });
    expect((await h.app.store.getMember(p.ws.id, "UBO"))?.dmRef).toBe("DUBO");
  });

  it("posts the next DM into the remembered DM channel", async () => {
    const p = await promptBo();
    await h.platform.chat.dm(p.ws, (await h.app.store.getMember(p.ws.id, "UBO"))!, {
      text: "again",
      blocks: [],
    });
    expect(h.fake.callsTo("chat.postMessage").map((c) => c.args.channel)).toEqual(["UBO", "DUBO"]);
    expect(h.fake.messages.get("DUBO")?.map((m) => m.text)).toEqual([expect.any(String), "again"]);
    expect(h.fake.callsTo("conversations.open")).toEqual([]);
  });

  it("posts to the user id again, once, when the remembered DM is gone", async () => {
    await mentionJane(["UBO", "UBO", "UBO", "UCY"]);
    const ws = await h.workspace();
    const bo = (await h.app.store.getMember(ws.id, "UBO"))!;
    await h.app.store.updateMember(ws.id, bo.id, { dmRef: "DSTALE" });
    h.fake.once("chat.postMessage", { ok: false, error: "channel_not_found" });
    expect((await h.app.service.runNudgeSweep(ws, h.platform.chat)).sent).toBe(1);
    expect(h.fake.callsTo("chat.postMessage").map((c) => c.args.channel)).toEqual(["DSTALE", "UBO"]);
    expect(h.fake.callsTo("conversations.open")).toEqual([]);
    const ts = h.fake.messages.get("DUBO")![0]!.ts;
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "sent", messageRef: `DUBO:${ts}` });
    expect((await h.app.store.getMember(ws.id, "UBO"))?.dmRef).toBe("DUBO");

    // Still gone by user id: one retry only, and the prompt is not sent.
    await h.reset();
    await mentionJane(["UBO", "UBO", "UBO", "UCY"]);
    const ws2 = await h.workspace();
    const bo2 = (await h.app.store.getMember(ws2.id, "UBO"))!;
    await h.app.store.updateMember(ws2.id, bo2.id, { dmRef: "DSTALE" });
    h.fake.on("chat.postMessage", { ok: false, error: "channel_not_found" });
    const report = await h.app.service.runNudgeSweep(ws2, h.platform.chat);
    expect(report).toMatchObject({ sent: 0, failed: 1 });
    expect(h.fake.callsTo("chat.postMessage").map((c) => c.args.channel)).toEqual(["DSTALE", "UBO"]);
    expect((await h.app.store.getMember(ws2.id, "UBO"))?.dmRef).toBe("DSTALE");
  });

  it("does not DM a user id Slack doesn't know in this workspace", async () => {
    await mentionJane(["UBO", "UBO", "UBO", "UCY"]);
    h.fake.users.delete("UBO");
    const ws = await h.workspace();
    expect(await h.app.service.runNudgeSweep(ws, h.platform.chat)).toMatchObject({ sent: 0, failed: 1 });
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(h.fake.postsTo("DUBO")).toEqual([]);
    expect((await h.app.store.getMember(ws.id, "UBO"))?.dmRef).toBeNull();
  });

  /** A choice from the prompt's overflow menu, as Slack sends it: the option, not a value. */
  async function choose(userId: string, optionValue: string, where: { channel: string; ts: string }) {
    const payload = blockAction({
      userId,
      actionId: "prompt_more",
      value: "",
      channel: where.channel,
      messageTs: where.ts,
    });
    const [action] = payload.actions as Array<Record<string, unknown>>;
    payload.actions = [
      {
        type: "overflow",
        action_id: "prompt_more",
        block_id: "b",
        selected_option: { text: { type: "plain_text", text: "x" }, value: optionValue },
        action_ts: action?.action_ts,
      },
    ];
    const res = await h.interaction(payload);
    expect(res.status).toBe(200);
    await h.settle();
  }

  it("answers from the overflow menu: snooze, already met, not an external contact", async () => {
    const p = await promptBo();
    await choose("UBO", JSON.stringify({ n: p.nudgeId, a: "snooze" }), p);
    expect(String(updates()[0]?.args.text)).toContain("Snoozed");
    expect(buttonsOf(updates()[0]?.args.blocks)).toEqual([]);
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "snoozed" });
    // A forged or unknown option changes nothing.
    await choose("UBO", JSON.stringify({ n: p.nudgeId, a: "delete-everything" }), p);
    await choose("UBO", "not json", p);
    expect(updates()).toHaveLength(1);

    await h.reset();
    const q = await promptBo();
    await choose("UBO", JSON.stringify({ n: q.nudgeId, a: "met" }), q);
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "met" });
    expect(await db().meeting.count()).toBe(1);

    await h.reset();
    const r = await promptBo();
    // Cy discusses Jane too: hiding her for the whole team is asked first, and nothing changes yet.
    await choose("UBO", JSON.stringify({ n: r.nudgeId, a: "not-contact" }), r);
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "sent" });
    expect(String(updates().at(-1)?.args.text)).toContain("Hide Jane Doe for everyone?");
    expect(buttonsOf(updates().at(-1)?.args.blocks).map((b) => b.id)).toEqual(["prompt_hide", "prompt_keep"]);
  });

  it("preselects the teammates who discuss the contact most, most active first", async () => {
    await mentionJane(["UBO", "UBO", "UBO", "UANN", "UCY", "UCY"]);
    const ws = await h.workspace();
    await h.app.service.runNudgeSweep(ws, h.platform.chat);
    const nudge = await db().nudge.findFirstOrThrow({ where: { member: { platformUserId: "UBO" } } });
    const ts = h.fake.messages.get("DUBO")![0]!.ts;
    await click("UBO", "prompt_plan", JSON.stringify({ n: nudge.id }), { channel: "DUBO", ts });
    const view = h.fake.callsTo("views.open")[0]!.args.view as {
      blocks: Array<{ block_id?: string; element?: Record<string, unknown> }>;
    };
    expect(view.blocks.find((b) => b.block_id === "with")?.element?.initial_users).toEqual(["UCY", "UANN"]);
  });

  it("snoozes, and replaces the prompt so a second click changes nothing", async () => {
    const p = await promptBo();
    const value = JSON.stringify({ n: p.nudgeId });
    await click("UBO", "prompt_snooze", value, p);
    const [update] = updates();
    expect(update?.args).toMatchObject({ channel: "DUBO", ts: p.ts });
    expect(String(update?.args.text)).toContain("Snoozed");
    expect(buttonsOf(update?.args.blocks)).toEqual([]);
    const snoozed = await db().nudge.findFirstOrThrow();
    expect(snoozed.status).toBe("snoozed");
    expect(snoozed.snoozeUntil?.toISOString()).toBe("2026-12-02T15:00:00.000Z");

    await click("UBO", "prompt_met", value, p);
    expect(String(updates()[1]?.args.text)).toContain("Already handled");
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "snoozed" });
    expect(await db().meeting.count()).toBe(0);
  });

  it("records a meeting on Already met", async () => {
    const p = await promptBo();
    await click("UBO", "prompt_met", JSON.stringify({ n: p.nudgeId }), p);
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "met" });
    expect(await db().meeting.findFirstOrThrow()).toMatchObject({ source: "button" });
    expect(
      (await db().contact.findFirstOrThrow({ where: { platformUserId: "UEXT" } })).lastMetAt,
    ).not.toBeNull();
    expect(String(updates()[0]?.args.text)).toContain("already met Jane Doe");
  });

  it("Not an external contact asks first (others discuss the contact), hides for everyone, and undoes", async () => {
    const p = await promptBo();
    const value = JSON.stringify({ n: p.nudgeId });
    const jane = () => db().contact.findFirstOrThrow({ where: { platformUserId: "UEXT" } });
    await click("UBO", "prompt_not_contact", value, p);
    let asked = updates().at(-1)!;
    expect(asked.args).toMatchObject({ channel: "DUBO", ts: p.ts });
    expect(JSON.stringify(asked.args.blocks)).toContain("1 other teammate talks about Jane Doe");
    expect((await jane()).status).toBe("tracked");

    // Cancel: the prompt is back, with its buttons.
    await click("UBO", "prompt_keep", value, p);
    expect(buttonsOf(updates().at(-1)?.args.blocks).map((b) => b.id)).toContain("prompt_plan");
    expect((await jane()).status).toBe("tracked");

    await click("UBO", "prompt_not_contact", value, p);
    asked = updates().at(-1)!;
    const hide = buttonsOf(asked.args.blocks).find((b) => b.id === "prompt_hide")!;
    await click("UBO", hide.id, hide.value!, p);
    expect((await jane()).status).toBe("ignored");
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "dismissed" });
    const hidden = updates().at(-1)!;
    expect(String(hidden.args.text)).toContain(
      "Hidden for everyone on the team: nobody will be prompted about Jane Doe",
    );
    const undo = buttonsOf(hidden.args.blocks);
    expect(undo.map((b) => b.label)).toEqual(["Undo"]);

    // Someone else's click does nothing; Bo's Undo gives Jane back to the team and the prompt back.
    await click("UCY", undo[0]!.id, undo[0]!.value!, p);
    expect((await jane()).status).toBe("ignored");
    await click("UBO", undo[0]!.id, undo[0]!.value!, p);
    expect((await jane()).status).toBe("tracked");
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "sent" });
    expect(String(updates().at(-1)?.args.text)).toContain("Take Jane Doe to lunch?");
  });

  it("the digest's Plan lunch opens the same lunch form for that contact, with no prompt to replace", async () => {
    await mentionJane(["UBO", "UBO", "UBO", "UCY"]);
    const jane = await db().contact.findFirstOrThrow({ where: { platformUserId: "UEXT" } });
    expect(jane.status).toBe("tracked");
    const digestPost = { channel: "C0GENERAL", ts: "1700000000.000100" };
    await click("UBO", "digest_plan_lunch", jane.id, digestPost);
    const [open] = h.fake.callsTo("views.open");
    const view = open!.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Array<{ block_id?: string; element?: Record<string, unknown> }>;
    };
    expect(view.callback_id).toBe("lunch_plan");
    // No prompt: the digest in the channel is never replaced by one person's lunch.
    expect(JSON.parse(view.private_metadata)).toEqual({
      contactId: jane.id,
      nudgeId: null,
      channel: null,
      ts: null,
    });
    expect(view.blocks.find((b) => b.block_id === "with")?.element?.initial_users).toEqual(["UCY"]);
    expect(updates()).toHaveLength(0);

    // A crafted value (unknown or malformed id) opens nothing.
    await click("UBO", "digest_plan_lunch", "nope", digestPost);
    await click("UBO", "digest_plan_lunch", "not an id!", digestPost);
    expect(h.fake.callsTo("views.open")).toHaveLength(1);
  });

  it("plans a lunch through the modal: prefilled teammates, .ics invites, the prompt replaced", async () => {
    const p = await promptBo();
    await click("UBO", "prompt_plan", JSON.stringify({ n: p.nudgeId }), p);
    expect(updates()).toHaveLength(0);
    const [open] = h.fake.callsTo("views.open");
    const view = open!.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: Array<{ block_id?: string; element?: Record<string, unknown> }>;
    };
    expect(view.callback_id).toBe("lunch_plan");
    expect(JSON.parse(view.private_metadata)).toMatchObject({
      nudgeId: p.nudgeId,
      channel: "DUBO",
      ts: p.ts,
    });
    const field = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    expect(field("with")?.initial_users).toEqual(["UCY"]);
    expect(field("date")?.initial_date).toBe("2026-11-19");

    const submit = await h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: "lunch_plan",
        privateMetadata: view.private_metadata,
        values: {
          date: { date: { type: "datepicker", selected_date: "2026-11-20" } },
          time: { time: { type: "timepicker", selected_time: "12:30" } },
          place: { place: { type: "plain_text_input", value: "Cafe <Nord> & Co" } },
          with: { with: { type: "multi_users_select", selected_users: ["UCY"] } },
        },
      }),
    );
    expect(submit.status).toBe(200);
    expect(submit.text).toBe("");
    await h.settle();

    const lunch = await db().lunch.findFirstOrThrow({
      include: { attendees: { include: { member: true } }, organizer: true },
    });
    expect(lunch.organizer.platformUserId).toBe("UBO");
    expect(lunch.scheduledFor?.toISOString()).toBe("2026-11-20T17:30:00.000Z");
    expect(lunch.attendees.map((a) => a.member.platformUserId)).toEqual(["UCY"]);
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "planned" });

    const [update] = updates();
    expect(update?.args).toMatchObject({ channel: "DUBO", ts: p.ts });
    expect(String(update?.args.text)).toContain(
      // The top-level text is mrkdwn too: the place is escaped there as in the blocks.
      "Lunch with Jane Doe on Fri 20 Nov, 12:30 at Cafe &lt;Nord&gt; &amp; Co with Cy Park is planned.",
    );
    expect(JSON.stringify(update?.args.blocks)).toContain("Cafe &lt;Nord&gt; &amp; Co");
    expect(buttonsOf(update?.args.blocks)).toEqual([]);

    const completes = h.fake.callsTo("files.completeUploadExternal");
    expect(completes.map((c) => c.args.channel_id).sort()).toEqual(["DUBO", "DUCY"]);
    const forCy = completes.find((c) => c.args.channel_id === "DUCY");
    expect(forCy?.args.initial_comment).toBe(
      "Bo Chen planned lunch with Jane Doe on Fri 20 Nov, 18:30 at Cafe &lt;Nord&gt; &amp; Co and added you.",
    );
    for (const upload of h.fake.callsTo("file_upload"))
      expect(String(upload.args.content)).toContain("DTSTART:20261120T173000Z");
  });

  it("shows lunch form problems under the fields", async () => {
    const p = await promptBo();
    const meta = JSON.stringify({
      contactId: (await db().contact.findFirstOrThrow()).id,
      nudgeId: p.nudgeId,
      channel: "DUBO",
      ts: p.ts,
    });
    const missing = await h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: "lunch_plan",
        privateMetadata: meta,
        values: { date: { date: { type: "datepicker", selected_date: null } } },
      }),
    );
    expect(missing.json).toEqual({ response_action: "errors", errors: { date: "Pick a date." } });
    const past = await h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: "lunch_plan",
        privateMetadata: meta,
        values: { date: { date: { type: "datepicker", selected_date: "2026-11-01" } } },
      }),
    );
    expect(past.json).toMatchObject({ response_action: "errors", errors: { date: expect.any(String) } });
    const outsider = await h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: "lunch_plan",
        privateMetadata: meta,
        values: {
          date: { date: { type: "datepicker", selected_date: "2026-11-20" } },
          with: { with: { type: "multi_users_select", selected_users: ["UEXT"] } },
        },
      }),
    );
    expect(outsider.json).toMatchObject({
      response_action: "errors",
      errors: { with: "Jane Doe is outside your team. Pick teammates only." },
    });
    const forged = await h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: "lunch_plan",
        privateMetadata: "{not json",
        values: { date: { date: { type: "datepicker", selected_date: "2026-11-20" } } },
      }),
    );
    expect(forged.json).toMatchObject({ response_action: "errors" });
    await h.settle();
    expect(await db().lunch.count()).toBe(0);
  });

  it("asks about a candidate with Track / Ignore", async () => {
    const ws = await h.workspace();
    const bo = await h.app.service.member(ws, {
      platformUserId: "UBO",
      displayName: "Bo Chen",
      external: false,
    });
    const priya = await h.app.store.createContact(
      ws.id,
      { displayName: "Priya Raman", status: "candidate" },
      [{ kind: "name", normalized: "priya raman", display: "Priya Raman" }],
    );
    const omar = await h.app.store.createContact(ws.id, { displayName: "Omar Haddad", status: "candidate" }, [
      { kind: "name", normalized: "omar haddad", display: "Omar Haddad" },
    ]);
    const refs: Record<string, string> = {};
    for (const c of [priya, omar]) {
      const nudge = await h.app.store.createNudge(ws.id, {
        memberId: bo.id,
        contactId: c.id,
        kind: "candidate",
      });
      refs[c.id] = await h.platform.chat.sendPrompt(ws, bo, {
        kind: "candidate",
        nudgeId: nudge.id,
        contactId: c.id,
        contactName: c.displayName,
        question: `Is ${c.displayName} someone outside the company you'd like to meet?`,
        reason: "Your team mentioned them 3 times.",
      });
      await h.app.store.transitionNudge(ws.id, nudge.id, ["pending"], {
        status: "sent",
        sentAt: h.clock.now(),
        messageRef: refs[c.id],
      });
    }
    const posts = h.fake.callsTo("chat.postMessage");
    expect(buttonsOf(posts[0]!.args.blocks).map((b) => b.label)).toEqual(["Track", "Ignore"]);
    const nudges = await db().nudge.findMany({ orderBy: { createdAt: "asc" } });
    const [channel, ts] = refs[priya.id]!.split(":") as [string, string];
    await click(
      "UBO",
      "candidate_track",
      JSON.stringify({ n: nudges.find((n) => n.contactId === priya.id)!.id }),
      { channel, ts },
    );
    const [channel2, ts2] = refs[omar.id]!.split(":") as [string, string];
    await click(
      "UBO",
      "candidate_ignore",
      JSON.stringify({ n: nudges.find((n) => n.contactId === omar.id)!.id }),
      { channel: channel2, ts: ts2 },
    );
    expect(
      await db().contact.findMany({
        select: { displayName: true, status: true },
        orderBy: { displayName: "asc" },
      }),
    ).toEqual([
      { displayName: "Omar Haddad", status: "ignored" },
      { displayName: "Priya Raman", status: "tracked" },
    ]);
    expect(updates().map((u) => u.args.ts)).toEqual([ts, ts2]);
  });

  it("asks whether a lunch happened, and records the answer once", async () => {
    const p = await promptBo();
    const ws = p.ws;
    const bo = (await h.app.store.getMember(ws.id, "UBO"))!;
    const jane = (await h.app.store.findContactByPlatformUser(ws.id, "UEXT"))!;
    const planned = await h.app.service.planLunch(ws, bo, {
      contactId: jane.id,
      on: { year: 2026, month: 11, day: 19, hour: 12, minute: 30 },
      place: "Cafe Nord",
    });
    expect(planned.kind).toBe("lunch");
    h.clock.set("2026-11-20T15:30:00Z");
    expect(await h.app.service.runFollowUps((w) => h.running.chatFor(w))).toEqual({
      sent: 1,
      failed: 0,
      failures: [],
    });
    const followUp = h.fake.callsTo("chat.postMessage").at(-1)!;
    expect(String(followUp.args.text)).toBe("Did your lunch with Jane Doe happen?");
    const buttons = buttonsOf(followUp.args.blocks);
    expect(buttons.map((b) => [b.id, b.label])).toEqual([
      ["followup_yes", "Yes, we met"],
      ["followup_later", "Not yet"],
      ["followup_no", "It's off"],
    ]);
    const where = { channel: "DUBO", ts: h.fake.messages.get("DUBO")!.at(-1)!.ts };
    // Not yet: the lunch stays open and is asked about again a week later.
    await click("UBO", "followup_later", buttons[1]!.value!, where);
    expect(await db().lunch.findFirstOrThrow()).toMatchObject({ status: "scheduled", followUpSent: null });
    expect(String(updates().at(-1)?.args.text)).toContain(
      "stays open and I'll ask again on Fri 27 Nov, 10:00",
    );
    // …and offers the lunch form: a date picked there moves this lunch, it doesn't plan a second one.
    const newDate = buttonsOf(updates().at(-1)?.args.blocks).find((b) => b.label === "Pick a new date")!;
    await click("UBO", newDate.id, newDate.value!, where);
    const form = h.fake.callsTo("views.open").at(-1)!.args.view as { private_metadata: string };
    expect(
      (
        await h.interaction(
          viewSubmission({
            userId: "UBO",
            callbackId: "lunch_plan",
            privateMetadata: form.private_metadata,
            values: {
              date: { date: { type: "datepicker", selected_date: "2026-11-24" } },
              time: { time: { type: "timepicker", selected_time: "13:00" } },
            },
          }),
        )
      ).status,
    ).toBe(200);
    await h.settle();
    const lunches = await db().lunch.findMany();
    expect(lunches).toHaveLength(1);
    expect(lunches[0]?.scheduledFor?.toISOString()).toBe("2026-11-24T18:00:00.000Z");
    expect(lunches[0]?.followUpAt?.toISOString()).toBe("2026-11-25T15:00:00.000Z");
    h.clock.set("2026-11-25T15:30:00Z");
    expect((await h.app.service.runFollowUps((w) => h.running.chatFor(w))).sent).toBe(1);
    await click("UBO", "followup_yes", buttons[0]!.value!, where);
    expect(await db().lunch.findFirstOrThrow()).toMatchObject({ status: "met" });
    expect(await db().meeting.count()).toBe(1);
    expect(String(updates().at(-1)?.args.text)).toContain("Wonderful");
    await click("UBO", "followup_no", buttons[2]!.value!, where);
    expect(await db().lunch.findFirstOrThrow()).toMatchObject({ status: "met" });
    expect(String(updates().at(-1)?.args.text)).toContain("Already answered");
  });

  it("pauses and resumes from the App Home, and answers prompts there", async () => {
    const p = await promptBo();
    await click("UBO", "home_pause", "pause", "home");
    const bo = () => h.app.store.getMember(p.ws.id, "UBO");
    expect(await bo()).toMatchObject({ paused: true, pausedUntil: null });
    let home = h.fake.callsTo("views.publish").at(-1)!;
    expect(home.args.user_id).toBe("UBO");
    expect(buttonsOf((home.args.view as { blocks: unknown }).blocks).map((b) => b.id)).toContain(
      "home_resume",
    );

    expect(JSON.stringify(home.args.view)).toContain("Prompts are paused until you resume.");

    await click("UBO", "home_resume", "resume", "home");
    expect(await bo()).toMatchObject({ paused: false, pausedUntil: null });
    home = h.fake.callsTo("views.publish").at(-1)!;
    const choices = buttonsOf((home.args.view as { blocks: unknown }).blocks);
    expect(choices.map((b) => b.label)).toEqual(["Pause 1 week", "Pause 4 weeks", "Pause until I resume"]);

    // A week: the end is stored and shown.
    await click("UBO", "home_pause", choices[0]!.value!, "home");
    expect((await bo())?.pausedUntil?.toISOString()).toBe("2026-11-25T15:00:00.000Z");
    home = h.fake.callsTo("views.publish").at(-1)!;
    expect(JSON.stringify(home.args.view)).toContain("Prompts are paused until Wed 25 Nov, 10:00.");
    await click("UBO", "home_resume", "resume", "home");
    // A forged duration changes nothing.
    await click("UBO", "home_pause", "9999", "home");
    expect(await bo()).toMatchObject({ paused: false });

    // Snoozing from the Home tab also clears the buttons of the DM it was sent as.
    await click("UBO", "prompt_snooze", JSON.stringify({ n: p.nudgeId }), "home");
    expect(updates().at(-1)?.args).toMatchObject({ channel: "DUBO", ts: p.ts });
    home = h.fake.callsTo("views.publish").at(-1)!;
    expect(buttonsOf((home.args.view as { blocks: unknown }).blocks).map((b) => b.id)).not.toContain(
      "prompt_snooze",
    );
  });

  it("/offline home answers with the personal view; forget-me asks first and deletes only on confirm", async () => {
    const p = await promptBo();
    const home = await h.command("UBO", "home");
    expect(home.status).toBe(200);
    await h.settle();
    const view = h.responses(home.responseId).at(-1)!;
    expect(view.response_type).toBe("ephemeral");
    expect(JSON.stringify(view.blocks)).toContain("Waiting for your answer");
    expect(JSON.stringify(view.blocks)).toContain("3 mentions by you; 2 teammates on the team discuss them");
    // Plan lunch in that (ephemeral) reply: the form will replace the prompt's DM, which chat.update can reach.
    const plan = (view.blocks as Array<{ accessory?: { action_id: string; value: string } }>).find(
      (b) => b.accessory?.action_id === "prompt_plan",
    )!.accessory!;
    const fromReply = blockAction({
      userId: "UBO",
      actionId: plan.action_id,
      value: plan.value,
      channel: "DUBO",
      messageTs: "1700000999.000100",
    });
    (fromReply.container as Record<string, unknown>).is_ephemeral = true;
    expect((await h.interaction(fromReply)).status).toBe(200);
    await h.settle();
    const form = h.fake.callsTo("views.open").at(-1)!.args.view as { private_metadata: string };
    expect(JSON.parse(form.private_metadata)).toMatchObject({ channel: "DUBO", ts: p.ts });

    const asked = await h.command("UBO", "forget-me");
    await h.settle();
    const question = h.responses(asked.responseId).at(-1)!;
    expect(String(question.text)).toContain("Delete everything about you?");
    const [confirm, cancel] = buttonsOf(question.blocks);
    expect([confirm?.id, cancel?.id]).toEqual(["forget_me_confirm", "forget_me_cancel"]);
    expect(await db().mention.count()).toBe(4);

    // The buttons answer in place, through the reply's response_url.
    const press = async (b: { id: string; value?: string | undefined }, responseId: string) => {
      const payload = {
        ...blockAction({
          userId: "UBO",
          actionId: b.id,
          value: b.value ?? "",
          channel: "DUBO",
          messageTs: p.ts,
        }),
        response_url: h.fake.responseUrl(responseId),
      };
      expect((await h.interaction(payload)).status).toBe(200);
      await h.settle();
      return h.responses(responseId).at(-1)!;
    };
    // Cy answering with Bo's question (a forged payload: the reply is Bo's alone) deletes nothing.
    const forged = {
      ...blockAction({
        userId: "UCY",
        actionId: confirm!.id,
        value: confirm!.value ?? "",
        channel: "DUCY",
        messageTs: p.ts,
      }),
      response_url: h.fake.responseUrl("forged1"),
    };
    expect((await h.interaction(forged)).status).toBe(200);
    await h.settle();
    expect(h.responses("forged1")).toEqual([]);
    expect(await h.app.store.getMember(p.ws.id, "UCY")).toMatchObject({ optedOut: false });
    expect(await db().mention.count()).toBe(4);

    const kept = await press(cancel!, "cancelled1");
    expect(kept).toMatchObject({ replace_original: true });
    expect(String(kept.text)).toContain("Nothing was deleted");
    expect(await db().mention.count()).toBe(4);

    const done = await press(confirm!, "confirmed1");
    expect(String(done.text)).toContain("I deleted everything I had about you");
    expect(await db().mention.count()).toBe(1);
    expect(await h.app.store.getMember(p.ws.id, "UBO")).toMatchObject({ optedOut: true });

    // For scripts: `forget-me confirm` runs at once.
    const direct = await h.command("UCY", "forget-me confirm");
    await h.settle();
    expect(String(h.responses(direct.responseId).at(-1)?.text)).toContain("I deleted everything");
    expect(await db().mention.count()).toBe(0);
  });

  it("waits out a 429 (Retry-After: 1) and posts the prompt exactly once", async () => {
    h.fake.rateLimitOnce("chat.postMessage", 1);
    const started = Date.now();
    const p = await promptBo();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const attempts = h.fake.calls.filter((c) => c.method === "chat.postMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(h.fake.messages.get("DUBO")).toHaveLength(1);
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "sent", messageRef: `DUBO:${p.ts}` });
  });

  it("never resends a prompt after an ambiguous failure (a 5xx may follow an accepted post)", async () => {
    await mentionJane(["UBO", "UBO", "UBO"]);
    h.fake.once("chat.postMessage", { status: 503, body: "upstream timeout" });
    const report = await h.app.service.runNudgeSweep(await h.workspace(), h.platform.chat);
    expect(report).toMatchObject({ sent: 0, failed: 1 });
    expect(h.fake.calls.filter((c) => c.method === "chat.postMessage").map((c) => c.status)).toEqual([503]);
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "failed" });
  });

  it("ignores forged or malformed button values and someone else's prompt", async () => {
    const p = await promptBo();
    await click("UBO", "prompt_met", "not json", p);
    await click("UBO", "prompt_met", JSON.stringify({ n: "x'; DROP TABLE" }), p);
    await click("UCY", "prompt_met", JSON.stringify({ n: p.nudgeId }), p);
    expect(await db().nudge.findFirstOrThrow()).toMatchObject({ status: "sent" });
    expect(await db().meeting.count()).toBe(0);
  });
});
