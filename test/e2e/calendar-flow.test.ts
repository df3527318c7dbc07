// Calendars end to end, over the real protocols on both databases: the real Bolt app (signed
// commands, events, clicks and view submissions) against the fake Slack Web API, and the real
// Google and Microsoft clients against the local fake providers (src/devtools/fake-calendars.ts).
// Bo (Google) and Cy (Outlook) connect through the consent redirect and the server's callback page;
// Bo's prompt about Jane opens the lunch form with the times both are free; the slot he picks is
// inserted at the fake Google with Cy's and Jane's emails; the daily job, run by the scheduler,
// counts a past meeting in Cy's calendar once. Then what goes wrong: a provider's 429 and 500 (the
// form opens without slots), an expired token (refreshed), a revoked grant (one DM). On Teams
// (the real CloudAdapter, the fake Bot Connector) the slot booking half once more.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Member, Workspace } from "../../src/core/types.ts";
import type { FakeCalendars } from "../../src/devtools/fake-calendars.ts";
import { startFakeCalendars } from "../../src/devtools/fake-calendars.ts";
import { startScheduler } from "../../src/scheduler/index.ts";
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
import { cardOfCall, textOfCall } from "../helpers/forms.ts";
import {
  blockAction,
  type SlackHarness,
  slackTs,
  startSlackHarness,
  viewSubmission,
} from "../helpers/slack-signing.ts";

const PUBLIC_URL = "https://bot.example.test";
const BO = "bo@northwind.example";
const CY = "cy@northwind.example";
const JANE = "jane@acme.example";

type View = {
  private_metadata: string;
  blocks: Array<{
    type: string;
    block_id?: string;
    element?: { type: string; options?: Array<{ value: string; text: { text: string } }> };
  }>;
};
type Block = { type: string; elements?: Array<{ action_id?: string; value?: string }> };

describe.each(PROVIDERS)("calendars end to end on Slack, %s", (db) => {
  let h: SlackHarness;
  let fakes: FakeCalendars;

  beforeAll(async () => {
    fakes = await startFakeCalendars({ publicUrl: PUBLIC_URL });
    h = await startSlackHarness(db, { env: fakes.env });
  });
  afterAll(async () => {
    await h?.close();
    await fakes?.close();
  });
  beforeEach(async () => {
    await h.reset();
    fakes.google.reset();
    fakes.graph.reset();
  });

  const rows = () => h.app.database.db;

  /** `/offline connect calendar <provider>`, the provider's consent page, then our callback page. */
  async function connect(user: string, provider: "google" | "microsoft", email: string): Promise<void> {
    const fake = provider === "google" ? fakes.google : fakes.graph;
    fake.signInAs = email;
    const { responseId } = await h.command(user, `connect calendar ${provider}`);
    await h.settle();
    const link = /"url":"([^"]+)"/.exec(JSON.stringify(h.responses(responseId)))?.[1] ?? "";
    expect(link.startsWith(fake.url)).toBe(true);
    const consent = await fetch(JSON.parse(`"${link}"`) as string, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get("location") ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC_URL}/calendar/oauth/${provider}`);
    // The browser lands on PUBLIC_URL, which is this server.
    const page = await fetch(`${h.base}${back.pathname}${back.search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(email);
    await h.settle();
  }

  async function say(user: string, text: string, seq: number): Promise<void> {
    await h.event({
      type: "message",
      channel: "C0SALES",
      channel_type: "channel",
      user,
      text,
      ts: slackTs("2026-11-18T14:00:00Z", seq),
    });
    await h.settle();
  }

  /**
   * Bo and Cy both have calendars (busy: Bo's Thursday lunchtime, Cy's Friday one, in New York),
   * both talk about Jane (Slack Connect, with her email), and the sweep prompts Bo about her.
   */
  async function arrange(): Promise<{ planValue: string; ts: string }> {
    fakes.google.addAccount(BO, [
      { start: new Date("2026-11-19T16:30:00Z"), end: new Date("2026-11-19T19:00:00Z") },
    ]);
    fakes.graph.addAccount(CY, [
      { start: new Date("2026-11-20T16:30:00Z"), end: new Date("2026-11-20T19:00:00Z") },
    ]);
    for (let i = 1; i <= 3; i++) await say("UBO", `notes from <@UEXT> (${i})`, i);
    await say("UCY", "<@UEXT> asked about pricing", 4);
    await connect("UBO", "google", BO);
    await connect("UCY", "microsoft", CY);
    const ws = await h.workspace();
    expect((await h.app.service.runNudgeSweep(ws, h.platform.chat)).sent).toBe(1);
    const prompt = h.fake
      .callsTo("chat.postMessage")
      .find((c) => c.args.channel === "DUBO" && String(c.args.text).startsWith("Take Jane Doe"));
    const plan = ((prompt?.args.blocks ?? []) as Block[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === "prompt_plan");
    expect(plan?.value).toBeTruthy();
    const ts = h.fake.messages.get("DUBO")?.find((m) => m.blocks === prompt?.args.blocks)?.ts ?? "";
    return { planValue: plan?.value ?? "", ts };
  }

  /** Bo presses Plan lunch on the prompt: the modal Slack was asked to open. */
  async function openForm(planValue: string, ts: string): Promise<View> {
    const before = h.fake.callsTo("views.open").length;
    const res = await h.interaction(
      blockAction({
        userId: "UBO",
        actionId: "prompt_plan",
        value: planValue,
        channel: "DUBO",
        messageTs: ts,
      }),
    );
    expect(res.status).toBe(200);
    await h.settle();
    expect(h.fake.callsTo("views.open")).toHaveLength(before + 1);
    return h.fake.callsTo("views.open").at(-1)?.args.view as View;
  }
  const slotsOf = (view: View) =>
    view.blocks.find((b) => b.block_id === "slot")?.element?.options?.map((o) => o.text.text) ?? null;
  const lostDms = () =>
    h.fake
      .callsTo("chat.postMessage")
      .filter((c) => JSON.stringify(c.args).includes("is no longer connected"));

  it("connect → slots from free/busy → book at the provider → the daily job counts a past meeting once", async () => {
    const { planValue, ts } = await arrange();
    // Both grants are stored sealed, one per person.
    const grants = await rows().calendarGrant.findMany({ orderBy: { provider: "asc" } });
    expect(grants.map((g) => [g.provider, g.accountEmail])).toEqual([
      ["google", BO],
      ["microsoft", CY],
    ]);
    expect(grants.every((g) => g.dataEnc.startsWith("v1.") && !/access-|refresh-/.test(g.dataEnc))).toBe(
      true,
    );

    const view = await openForm(planValue, ts);
    // Now is Wed 10:00 in New York. Thursday is Bo's busy lunchtime, Friday Cy's.
    expect(slotsOf(view)).toEqual([
      "Wed 18 Nov, 12:00–13:00",
      "Mon 23 Nov, 12:00–13:00",
      "Tue 24 Nov, 12:00–13:00",
      "Wed 25 Nov, 12:00–13:00",
      "Another time (pick it below)",
    ]);
    // Free/busy was asked of both providers, with the people's own tokens.
    expect(
      fakes.google.requests.filter((r) => r.path === "/calendar/v3/freeBusy" && r.status === 200),
    ).toEqual([expect.objectContaining({ account: BO })]);
    expect(fakes.graph.requests.some((r) => r.status === 200 && r.account === CY)).toBe(true);

    const options = view.blocks.find((b) => b.block_id === "slot")?.element?.options ?? [];
    const res = await h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: "lunch_plan",
        privateMetadata: view.private_metadata,
        values: {
          slot: { slot: { type: "radio_buttons", selected_option: { value: options[1]?.value } } },
          date: { date: { type: "datepicker", selected_date: "2026-11-26" } },
          time: { time: { type: "timepicker", selected_time: "12:30" } },
          place: { place: { type: "plain_text_input", value: "Cafe Nord" } },
          with: { with: { type: "multi_users_select", selected_users: ["UCY"] } },
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    await h.settle();
    // The event is at the fake Google, in Bo's calendar, inviting Cy and Jane (Google sends the mail).
    const events = fakes.google.account(BO).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      start: new Date("2026-11-23T17:00:00Z"),
      end: new Date("2026-11-23T18:00:00Z"),
      title: "Lunch with Jane Doe",
      location: "Cafe Nord",
      attendees: [CY, JANE],
      sendUpdates: "all",
    });
    expect(fakes.graph.account(CY).events).toEqual([]);
    expect((await rows().lunch.findFirstOrThrow()).scheduledFor?.toISOString()).toBe(
      "2026-11-23T17:00:00.000Z",
    );
    // Everyone going has a calendar the event reached: no .ics.
    expect(h.fake.callsTo("files.completeUploadExternal")).toEqual([]);

    // Cy had coffee with Jane on Monday (an event in her Outlook calendar with Jane's email).
    fakes.graph.account(CY).events.push({
      id: "coffee",
      start: new Date("2026-11-16T13:00:00Z"),
      end: new Date("2026-11-16T13:30:00Z"),
      title: "Coffee (private)",
      location: "Somewhere private",
      attendees: [CY, JANE],
      sendUpdates: null,
    });
    const scheduler = await startScheduler(h.app, () => h.platform.chat, { timers: false, catchUp: false });
    try {
      const [first] = await scheduler.runDue(["calendar-meetings"]);
      // Both calendars read; the booked lunch is still ahead, so only the coffee counts.
      expect(first).toMatchObject({ ran: true, outcome: "ok", summary: { read: 2, recorded: 1, known: 0 } });
      h.clock.advance(86_400_000);
      const [next] = await scheduler.runDue(["calendar-meetings"]);
      expect(next).toMatchObject({ ran: true, outcome: "ok", summary: { read: 2, recorded: 0, known: 1 } });
    } finally {
      await scheduler.stop();
    }
    const meetings = await rows().meeting.findMany();
    expect(meetings.map((m) => [m.source, m.metAt.toISOString()])).toEqual([
      ["calendar", "2026-11-16T13:00:00.000Z"],
    ]);
    const notice = await rows().noticedMeeting.findFirstOrThrow();
    expect(notice).toMatchObject({ source: "calendar", day: "2026-11-16", status: "recorded" });
    // Nothing of the event but the day and who.
    expect(JSON.stringify(notice)).not.toMatch(/Coffee|private/);
    expect(lostDms()).toEqual([]);
  });

  it("the booked lunch, once held, counts once per person: the calendar job first, then the check-in's Yes", async () => {
    const { planValue, ts } = await arrange();
    const view = await openForm(planValue, ts);
    const first = view.blocks.find((b) => b.block_id === "slot")?.element?.options?.[0]?.value;
    await h.interaction(
      viewSubmission({
        userId: "UBO",
        callbackId: "lunch_plan",
        privateMetadata: view.private_metadata,
        values: {
          slot: { slot: { type: "radio_buttons", selected_option: { value: first } } },
          date: { date: { type: "datepicker", selected_date: "2026-11-26" } },
          time: { time: { type: "timepicker", selected_time: "12:30" } },
          with: { with: { type: "multi_users_select", selected_users: ["UCY"] } },
        },
      }),
    );
    await h.settle();
    expect(fakes.google.account(BO).events.map((e) => e.start.toISOString())).toEqual([
      "2026-11-18T17:00:00.000Z",
    ]);
    // The next morning the daily job finds the lunch in Bo's calendar (Jane invited): the bot's own
    // invitation, left to the check-in, which usually comes later the same day.
    h.clock.set("2026-11-19T09:20:00Z");
    const scheduler = await startScheduler(h.app, () => h.platform.chat, { timers: false, catchUp: false });
    try {
      const [run] = await scheduler.runDue(["calendar-meetings"]);
      expect(run).toMatchObject({ ran: true, summary: { read: 2, recorded: 0, known: 1 } });
      expect(await rows().meeting.count()).toBe(0);
      // Later that day the check-in asks Bo whether it happened; he says Yes.
      h.clock.set("2026-11-19T16:00:00Z");
      await scheduler.runDue(["follow-ups"]);
    } finally {
      await scheduler.stop();
    }
    const checkIn = h.fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === "DUBO")
      .find((c) => JSON.stringify(c.args.blocks).includes("followup_yes"));
    expect(checkIn).toBeDefined();
    const yes = ((checkIn?.args.blocks ?? []) as Block[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === "followup_yes");
    const checkTs = h.fake.messages.get("DUBO")?.find((m) => m.blocks === checkIn?.args.blocks)?.ts ?? "";
    await h.interaction(
      blockAction({
        userId: "UBO",
        actionId: "followup_yes",
        value: yes?.value ?? "",
        channel: "DUBO",
        messageTs: checkTs,
      }),
    );
    await h.settle();
    const bo = await h.app.store.getMember((await h.workspace()).id, "UBO");
    const cy = await h.app.store.getMember((await h.workspace()).id, "UCY");
    const meetings = await rows().meeting.findMany();
    expect(meetings.filter((m) => m.memberId === bo?.id)).toHaveLength(1);
    expect(meetings.filter((m) => m.memberId === cy?.id)).toHaveLength(1);
    expect(meetings.every((m) => m.metAt.toISOString() === "2026-11-18T17:00:00.000Z")).toBe(true);
    // And the next run leaves it at that.
    h.clock.set("2026-11-20T09:20:00Z");
    expect((await h.app.service.recordCalendarMeetings(await h.workspace())).recorded).toBe(0);
    expect(await rows().meeting.count()).toBe(2);
  });

  it("a provider's 429 then 500 on free/busy: the form opens without slots, then with them again", async () => {
    const { planValue, ts } = await arrange();
    fakes.google.failNext(429, 1, { retryAfter: "30" });
    fakes.google.failNext(500, 1);
    for (const status of [429, 500]) {
      const view = await openForm(planValue, ts);
      expect(slotsOf(view), `after ${status}`).toBeNull();
      expect(JSON.stringify(view.blocks)).toContain("I couldn't read the calendars just now");
    }
    expect(
      fakes.google.requests.filter((r) => r.path === "/calendar/v3/freeBusy").map((r) => r.status),
    ).toEqual([429, 500]);
    // The teammate's provider failing leaves Cy out of the check; Bo still gets slots (Friday too).
    fakes.graph.failNext(500, 1);
    expect(slotsOf(await openForm(planValue, ts))?.slice(0, 2)).toEqual([
      "Wed 18 Nov, 12:00–13:00",
      "Fri 20 Nov, 12:00–13:00",
    ]);
    expect(slotsOf(await openForm(planValue, ts))?.slice(0, 2)).toEqual([
      "Wed 18 Nov, 12:00–13:00",
      "Mon 23 Nov, 12:00–13:00",
    ]);
    // Unavailable is not revoked: both grants stay, nobody is told anything.
    expect(await rows().calendarGrant.count()).toBe(2);
    expect(lostDms()).toEqual([]);
  });

  it("an expired access token is refreshed; a revoked grant (invalid_grant) gets one DM", async () => {
    const { planValue, ts } = await arrange();
    const refreshes = fakes.google.tokenCalls("refresh_token").length;
    fakes.google.expireAccessTokens();
    expect(slotsOf(await openForm(planValue, ts))).toHaveLength(5);
    expect(fakes.google.tokenCalls("refresh_token")).toHaveLength(refreshes + 1);
    expect(await rows().calendarGrant.count()).toBe(2);

    // Bo removes the app's access at Google: the refresh answers invalid_grant.
    fakes.google.revokeAccount(BO);
    fakes.google.expireAccessTokens();
    const failed = await openForm(planValue, ts);
    expect(slotsOf(failed)).toBeNull();
    await h.settle();
    expect(lostDms()).toHaveLength(1);
    expect(lostDms()[0]?.args.channel).toBe("DUBO");
    expect(JSON.stringify(lostDms()[0]?.args)).toContain("connect calendar");
    expect((await rows().calendarGrant.findMany()).map((g) => g.accountEmail)).toEqual([CY]);
    expect(
      fakes.google.requests.some(
        (r) => r.path === "/token" && r.status === 400 && JSON.stringify(r.body).includes("refresh_token"),
      ),
    ).toBe(true);

    // No loop: the form now asks Bo to connect, and the daily job reads Cy's calendar only.
    const again = await openForm(planValue, ts);
    expect(slotsOf(again)).toBeNull();
    expect(JSON.stringify(again.blocks)).toContain("Connect your calendar with `/offline connect calendar`");
    const scheduler = await startScheduler(h.app, () => h.platform.chat, { timers: false, catchUp: false });
    try {
      const [run] = await scheduler.runDue(["calendar-meetings"]);
      expect(run).toMatchObject({ ran: true, outcome: "ok", summary: { read: 1, skipped: [] } });
    } finally {
      await scheduler.stop();
    }
    await h.settle();
    expect(lostDms()).toHaveLength(1);
  });
});

const TENANT = "tenant-flow";
const tAnn: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT, email: "ann@acme.example" };
const tBo: FakeUser = { id: "29:bo", name: "Bo Berg", tenantId: TENANT, email: "bo@acme.example" };
const tCy: FakeUser = { id: "29:cy", name: "Cy Chen", tenantId: TENANT, email: "cy@acme.example" };
const gwen: FakeUser = {
  id: "29:gwen",
  name: "Gwen Guest",
  tenantId: TENANT,
  userRole: "guest",
  email: "gwen@partner.example",
};

describe.each(PROVIDERS)("calendar slots and booking end to end on Teams, %s", (db) => {
  let h: TeamsHarness;
  let fakes: FakeCalendars;
  let ws: Workspace;
  const boChat = personalConversationId(tBo);
  /** The server's base URL: the consent redirects come back to its /calendar/oauth page. */
  const base = () => h.url.replace(/\/api\/messages$/, "");

  beforeAll(async () => {
    fakes = await startFakeCalendars({ publicUrl: PUBLIC_URL });
    // Wed 4 Mar 2026, 12:00 in Berlin (the activities' zone).
    h = await startTeamsHarness(db, { tenantId: TENANT, at: "2026-03-04T11:00:00Z", env: fakes.env });
    h.fake.addUsers(tAnn, tBo, tCy, gwen);
    expect(await h.post(activities.teamInstall(h.world, tAnn))).toBe(200);
    ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
    const earlier = new Date(h.clock.now().getTime() - 3_600_000).toISOString();
    for (const author of [tBo, tCy, tBo, tBo])
      expect(
        await h.post(
          activities.channelMessage(h.world, author, "Catch up with <at>Gwen Guest</at>?", {
            mentions: [mention(gwen)],
            timestamp: earlier,
          }),
        ),
      ).toBe(200);
  });
  afterAll(async () => {
    await h?.close();
    await fakes?.close();
  });

  it("Bo (Outlook) and Cy (Google) connect; the form offers times both are free; the pick lands at the fake Graph", async () => {
    const member = async (u: FakeUser) => (await h.app.store.getMember(ws.id, u.id)) as Member;
    const calendars = h.app.service.calendars;
    if (!calendars) throw new Error("calendars not configured");
    // Busy in Berlin: Bo on Thursday 11:30–12:30, Cy all of Friday's lunch hours.
    await fakes.connect(calendars, ws, await member(tBo), {
      provider: "microsoft",
      email: "bo@acme.example",
      via: base(),
      busy: [{ start: new Date("2026-03-05T10:30:00Z"), end: new Date("2026-03-05T11:30:00Z") }],
    });
    await fakes.connect(calendars, ws, await member(tCy), {
      provider: "google",
      email: "cy@acme.example",
      via: base(),
      busy: [{ start: new Date("2026-03-06T10:30:00Z"), end: new Date("2026-03-06T13:00:00Z") }],
    });
    expect(fakes.graph.tokenCalls("authorization_code")).toHaveLength(1);
    expect(fakes.google.tokenCalls("authorization_code")).toHaveLength(1);

    expect((await h.app.service.runNudgeSweep(ws, h.platform.chat)).sent).toBeGreaterThanOrEqual(1);
    const press = async (value: Json) => {
      const before = h.fake.updates(boChat).length;
      expect(await h.post(activities.cardSubmit(h.world, tBo, boChat, "act-card", value))).toBe(200);
      return h.fake.updates(boChat).slice(before);
    };
    const boId = (await member(tBo)).id;
    const prompt = (await h.app.store.listNudges(ws.id, {})).find((n) => n.memberId === boId);
    expect(prompt).toBeDefined();
    const [opened] = await press({ tio: "nudge", nudgeId: prompt?.id ?? "", action: "plan" });
    const form = cardOfCall(opened);
    const slot = form.body.find((e) => e.id === "slot") as {
      choices: Array<{ title: string; value: string }>;
    };
    expect(slot.choices.map((c) => c.title)).toEqual([
      "Thu 5 Mar, 12:30–13:30",
      "Mon 9 Mar, 12:00–13:00",
      "Tue 10 Mar, 12:00–13:00",
      "Wed 11 Mar, 12:00–13:00",
      "Another time (pick it below)",
    ]);

    const sentBefore = h.fake.sent().length;
    const contactId = prompt?.contactId ?? "";
    const [done] = await press({
      tio: "lunch",
      nudgeId: prompt?.id ?? "",
      contactId,
      date: "2026-03-10",
      time: "12:30",
      with: tCy.id,
      slot: slot.choices[1]?.value ?? "",
    });
    expect(textOfCall(done)).toContain("Lunch with Gwen Guest on Mon 9 Mar, 12:00 with Cy Chen is planned.");
    const events = fakes.graph.account("bo@acme.example").events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      start: new Date("2026-03-09T11:00:00Z"),
      end: new Date("2026-03-09T12:00:00Z"),
      title: "Lunch with Gwen Guest",
      attendees: ["cy@acme.example", "gwen@partner.example"],
    });
    // Cy's calendar gets the invitation from Bo's: a note, and no .ics to accept.
    // (Cy has no chat with the bot yet: the note goes to the one the bot opens with her.)
    const toCy = h.fake
      .sent()
      .slice(sentBefore)
      .filter((c) => c.conversationId !== boChat);
    expect(toCy.map((c) => textOfCall(c)).join("\n")).toContain(
      "Bo Berg planned lunch with Gwen Guest on Mon 9 Mar, 12:00 and added you. The invitation comes from Bo Berg's calendar",
    );
    expect(toCy.some((c) => JSON.stringify(c.body).includes("fileConsent"))).toBe(false);
  });
});
