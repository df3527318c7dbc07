import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { types } from "@slack/bolt";
import type { CalendarProviderId } from "../app/calendar-port.ts";
import { openApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { administers } from "../core/admins.ts";
import { formatWhen, formatWhenZoned } from "../core/format.ts";
import { memberTimeZone } from "../core/nudges.ts";
import { fixedClock } from "../core/ports.ts";
import { zonedTimeToUtc } from "../core/time.ts";
import type { Member } from "../core/types.ts";
import { startFakeCalendars } from "../devtools/fake-calendars.ts";
import { FakeSlack, type FakeSlackUser } from "../devtools/fake-slack.ts";
import { freePort } from "../devtools/free-port.ts";
import { commandFields, eventEnvelope, postToSlackApp } from "../devtools/slack-signing.ts";
import { importSlackExport } from "../import/run.ts";
import { openSlackExport, primaryTeamId } from "../import/slack-export.ts";
import { createLogger } from "../log.ts";
import type { SlackPlatform } from "../platforms/slack/index.ts";
import { blocksToText, viewToText } from "../platforms/slack/render/plain-text.ts";
import { generateSampleExport } from "../sample/index.ts";
import { startScheduler } from "../scheduler/index.ts";
import { startServer } from "../server.ts";
import { exportBefore, replayExport } from "./slack-replay.ts";

// npm run demo: the whole product on a synthetic company's Slack export, with no Slack account.
// The real server and Slack app run against a local fake Slack Web API (src/devtools): older
// history is imported in bulk, the last two weeks are replayed into /slack/events as signed Events
// API deliveries, a teammate uses /offline, the hourly sweeps DM people, one of them connects their
// calendar (local fake Google Calendar and Microsoft Graph servers, the real client libraries) and
// plans a lunch through the modal, the weekly digest is posted, and the week after the daily
// calendar job counts a meeting it finds in a calendar. Everything the bot sent is printed as a
// person would read it, and its Block Kit JSON is saved next to the demo database.

const SIGNING_SECRET = "demo-signing-secret";
/** The sample runs Aug 13 – Nov 20, 2026; weeks 46–47 (what the prompts and the digest are about) go through Slack live. */
const LIVE_FROM = "2026-11-09";
const BOT_TOKEN = "xoxb-demo-token";

export function indent(text: string, prefix = "      "): string {
  return text
    .split("\n")
    .map((l) => `${prefix}${l}`)
    .join("\n");
}

export async function runDemo(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: "string", default: "data/demo" },
      seed: { type: "string", default: "42" },
      // Keep the server (and its dashboard) up after the demo until Ctrl-C. On a terminal that is
      // the default (the sign-in link it prints is only good while the server runs); --no-serve exits.
      serve: { type: "boolean", default: false },
      "no-serve": { type: "boolean", default: false },
      port: { type: "string" },
    },
  });
  const stay = values.serve || (process.stdout.isTTY === true && !values["no-serve"]);
  const out = resolve(values.out);
  const seed = Number(values.seed);
  const exportDir = join(out, `export-seed-${seed}`);
  const dbPath = join(out, "demo.db");
  mkdirSync(out, { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbPath}${suffix}`, { force: true });

  const t0 = Date.now();
  const summary = existsSync(join(exportDir, "users.json"))
    ? null
    : await generateSampleExport(exportDir, { seed });
  if (summary)
    console.log(
      `Generated a sample Slack export: ${summary.messages} messages in ${summary.channels} channels by ${summary.members} people, ${summary.dateRange.start} to ${summary.dateRange.end} → ${exportDir}`,
    );

  const reader = await openSlackExport(exportDir);
  const users = await reader.users();
  const channels = await reader.channels();
  const teamId = primaryTeamId(users) ?? "T0DEMO";
  const nameOf = new Map(users.map((u) => [u.id, u.profile?.display_name || u.real_name || u.name || u.id]));
  const general = channels.find((c) => c.is_general) ?? channels[0];
  /** Rendered Block Kit shows users as @U…; a person sees names. */
  const named = (text: string) =>
    text.replace(/@([UW][A-Z0-9]{2,})/g, (m, id: string) => (nameOf.has(id) ? `@${nameOf.get(id)}` : m));

  // The fake Slack knows the export's people (users.info / users.list answer from users.json).
  const fake = await FakeSlack.start({
    teamId,
    teamName: "Northwind Labs",
    botUserId: "U0TIOBOT",
    botId: "B0TIOBOT",
  });
  for (const u of users) fake.addUser(u as unknown as FakeSlackUser);
  // People's calendars: Google and Microsoft Graph as local fakes, reached by the real clients.
  const fakeCalendars = await startFakeCalendars();

  // Staying up: the port asked for (PORT, else 3000), or any when that one is taken; an explicit
  // --port is used as given.
  const port = values.port
    ? Number(values.port)
    : stay
      ? await freePort(Number(process.env.PORT ?? 3000))
      : await freePort();
  const config = loadConfig({
    ...process.env,
    // Dashboard sessions are signed with a key of this run.
    SESSION_SECRET: randomBytes(32).toString("hex"),
    DATABASE_URL: `file:${dbPath}`,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.url,
    // Whatever the shell has configured, the demo is one workspace over HTTP, against the fake.
    SLACK_APP_TOKEN: "",
    SLACK_CLIENT_ID: "",
    SLACK_CLIENT_SECRET: "",
    SLACK_STATE_SECRET: "",
    MICROSOFT_APP_ID: "",
    MICROSOFT_APP_PASSWORD: "",
    // The fake calendars' endpoints and credentials; PUBLIC_URL below is this server's, not theirs.
    ...fakeCalendars.env,
    // The dashboard at /app/ and the calendars' OAuth callback: links name this server.
    PUBLIC_URL: process.env.PUBLIC_URL || `http://127.0.0.1:${port}`,
    LOG_LEVEL: "warn",
  });
  // The sample ends on Friday 2026-11-20: the replay happens that weekend, the prompts the week after.
  const clock = fixedClock("2026-11-21T12:00:00Z");
  const app = await openApp(config, { clock, log: createLogger("warn") });
  const running = await startServer(app, { port, host: "127.0.0.1", scheduler: false });
  const slack = running.platforms.find((p): p is SlackPlatform => p.name === "slack");
  const eventsUrl = `http://127.0.0.1:${running.port}/slack/events`;
  try {
    if (!slack) throw new Error("The Slack app did not start");
    // Start-up loads the member list (users.list) in the background; let it finish first, as it
    // would have long before a real workspace's next message.
    await running.background.drain(30_000);
    // History as an admin would bring it in after installing (`take-it-offline import`), batched;
    // the last two weeks then arrive live, one signed Events API delivery per message.
    const historyDir = join(out, `export-seed-${seed}-before-${LIVE_FROM}`);
    exportBefore(exportDir, LIVE_FROM, historyDir);
    const history = await importSlackExport(app.service, historyDir);
    console.log(
      `\n== History up to ${LIVE_FROM}, imported in bulk\n${history.messages} messages in ${(history.durationMs / 1000).toFixed(1)} s; ${history.mentionsAdded} mentions of external contacts recorded.`,
    );
    const replay = await replayExport(reader, {
      url: eventsUrl,
      signingSecret: SIGNING_SECRET,
      teamId,
      concurrency: 8,
      since: new Date(`${LIVE_FROM}T00:00:00Z`),
    });
    await running.background.drain(60_000);
    const statuses = Object.entries(replay.statuses)
      .map(([s, n]) => `${n}× HTTP ${s}`)
      .join(", ");
    const mentions = await app.store.countMentions();
    const done = await app.store.countEvents("done");
    console.log(
      `\n== From ${LIVE_FROM} on, live through the Slack app\n${replay.events} channel messages posted to /slack/events as signed Events API deliveries in ${(replay.durationMs / 1000).toFixed(1)} s (${statuses})${replay.skipped ? `; ${replay.skipped} DM messages left out (the bot never sees DMs)` : ""}; ${done} processed through the durable inbox.\n${mentions - history.mentionsAdded} more mentions recorded (${mentions} in all); ${fake.callsTo("users.list").length} users.list and ${fake.callsTo("users.info").length} users.info calls to the fake Slack.`,
    );

    let ws = await app.store.findWorkspace("slack", teamId);
    if (!ws) throw new Error("The replay created no workspace");
    ws = await app.store.updateWorkspace(ws.id, {
      name: "Northwind Labs",
      timezone: "America/New_York",
      ...(general ? { digestChannel: general.id } : {}),
    });

    // Contacts the detector found.
    const since = new Date("2026-08-01T00:00:00Z");
    const tracked = await app.store.listContactStats(ws.id, { since, status: "tracked", limit: 15 });
    const candidates = await app.store.listContactStats(ws.id, { since, status: "candidate", limit: 10 });
    console.log("\n== External contacts your team discusses (tracked)");
    for (const s of tracked)
      console.log(
        `  ${s.contact.displayName.padEnd(28)} ${String(s.mentions).padStart(4)} mentions by ${s.teammates} teammates`,
      );
    console.log("\n== Candidates waiting for confirmation (names found in text)");
    for (const s of candidates)
      console.log(
        `  ${s.contact.displayName.padEnd(28)} ${String(s.mentions).padStart(4)} mentions by ${s.teammates} teammates`,
      );

    // Value on day one: the import opened the review of who was found; the sweep sends it to the
    // admins, and one of them answers a row (Track) through the real interactivity endpoint.
    const reviewChat = running.chatFor(ws);
    const reviewFrom = fake.callsTo("chat.postMessage").length;
    const sendDoc = reviewChat?.sendDoc?.bind(reviewChat);
    if (sendDoc) await app.service.runReviewSweep(ws, { sendDoc });
    const [review, ...otherAdmins] = fake.callsTo("chat.postMessage").slice(reviewFrom);
    if (review) {
      const channel = String(review.args.channel);
      const blocks = review.args.blocks as types.KnownBlock[];
      console.log(
        `\n== Review who we found: after the import, a DM to ${otherAdmins.length + 1} admin${otherAdmins.length ? "s" : ""} (${nameOf.get(channel.slice(1)) ?? channel} shown)`,
      );
      console.log(indent(named(blocksToText(blocks))));
      const track = blocks
        .flatMap((b) => (b.type === "actions" ? b.elements : []))
        .find((e) => "action_id" in e && e.action_id === "review_track") as types.Button | undefined;
      const ts = fake.messages.get(channel)?.find((m) => m.blocks === review.args.blocks)?.ts ?? "";
      if (track) {
        await postToSlackApp(eventsUrl, SIGNING_SECRET, {
          kind: "interaction",
          payload: {
            type: "block_actions",
            user: { id: channel.slice(1), team_id: teamId },
            team: { id: teamId },
            api_app_id: "A0FAKE",
            container: { type: "message", channel_id: channel, message_ts: ts },
            channel: { id: channel },
            message: { ts },
            actions: [
              { type: "button", action_id: "review_track", value: track.value ?? "", action_ts: "1.1" },
            ],
          },
        });
        await running.background.drain(10_000);
        const updated = fake.callsTo("chat.update").at(-1)?.args.blocks as types.KnownBlock[] | undefined;
        const first = updated
          ? blocksToText(updated)
              .split("\n")
              .find((l) => l.includes(": tracked"))
          : null;
        if (first)
          console.log(`  They press [Track] on the first row; it now reads:\n${indent(first.trim())}`);
      }
    }

    // A teammate tells the bot that three spellings are one person, through the real slash command.
    const someone = (await app.store.listMembers(ws.id)).find((m) => !m.isBot && !m.optedOut);
    if (someone) {
      const text = "track Jonathan Baker, Jon Baker, @jonbaker";
      const responseUrl = fake.responseUrl("demo-track");
      const res = await postToSlackApp(eventsUrl, SIGNING_SECRET, {
        kind: "form",
        fields: commandFields({ teamId, userId: someone.platformUserId, text, responseUrl }),
      });
      await running.background.drain(10_000);
      const reply = fake.callsTo("response_url").find((c) => c.pathId === "demo-track")?.args.text;
      console.log(
        `\n== ${someone.displayName || someone.realName} types: /offline ${text}   (HTTP ${res.status})\n  ${String(reply ?? "(no reply)")}`,
      );
    }

    // Hourly sweeps through Tuesday to Thursday: each member is prompted in their own working hours.
    const chat = running.chatFor(ws);
    if (!chat) throw new Error("No chat for the workspace");
    const before = fake.callsTo("chat.postMessage").length;
    for (let hour = 0; hour < 72; hour++) {
      clock.set(new Date(Date.UTC(2026, 10, 24, hour)));
      ws = (await app.store.getWorkspace(ws.id)) ?? ws;
      await app.service.runNudgeSweep(ws, chat);
    }
    // A first DM is posted to the person's user id and lands in their DM channel (D…).
    const dms = fake
      .callsTo("chat.postMessage")
      .slice(before)
      .flatMap((c) => {
        const landed = fake.landsIn(c);
        return landed?.startsWith("D") ? [{ call: c, channel: landed }] : [];
      });
    console.log(
      `\n== Prompts (${dms.length} DMs over Tue–Thu, hourly sweeps in each person's working hours)`,
    );
    const sent = dms.map(({ call: c, channel }) => {
      const to = nameOf.get(channel.slice(1)) ?? channel;
      const ts = fake.messages.get(channel)?.find((m) => m.blocks === c.args.blocks)?.ts ?? "";
      return {
        to,
        userId: channel.slice(1),
        channel,
        ts,
        at: c.at.toISOString(),
        text: String(c.args.text),
        blocks: c.args.blocks as types.KnownBlock[],
      };
    });
    for (const s of sent) {
      console.log(`  → ${s.to}, notification: ${s.text}`);
      console.log(indent(named(blocksToText(s.blocks))));
    }

    // The first person with a lunch suggestion presses "Plan lunch" and fills in the modal.
    const lunchPrompt = sent.find((s) =>
      s.blocks.some((b) => b.type === "actions" && JSON.stringify(b).includes("prompt_plan")),
    );
    let lunchModalView: unknown = null;
    const calendars = app.service.calendars;
    if (!calendars) throw new Error("Calendars are not configured");
    /** Who connected a calendar (for the week after), and where the lunch was booked. */
    const connected: Array<{ member: Member; email: string; provider: CalendarProviderId }> = [];
    const booked: Array<{ title: string; start: string; end: string; attendees: string[] }> = [];
    let lunchContactId: string | null = null;
    if (lunchPrompt) {
      const actionsBlock = lunchPrompt.blocks.find((b): b is types.ActionsBlock => b.type === "actions");
      const plan = actionsBlock?.elements.find((e) => "action_id" in e && e.action_id === "prompt_plan") as
        | types.Button
        | undefined;
      clock.set("2026-11-25T15:00:00Z");
      // They connect their calendar (Google), and so does the first teammate the form will name
      // (Outlook): the form offers lunch times when both are free. Busy, in the organizer's zone:
      // their Thursday lunchtime, and the teammate's Friday noon.
      const organizer = await app.store.getMember(ws.id, lunchPrompt.userId);
      const nudgeId = (JSON.parse(plan?.value ?? "{}") as { n?: string }).n ?? "";
      const nudge = organizer ? await app.store.getNudge(ws.id, nudgeId) : null;
      lunchContactId = nudge?.contactId ?? null;
      const firstTeammate =
        organizer && nudge
          ? (await app.service.teammatesFor(ws, nudge.contactId, organizer.id))[0]
          : undefined;
      const teammate = firstTeammate ? await app.store.getMember(ws.id, firstTeammate.platformUserId) : null;
      const zone = memberTimeZone(organizer?.tz, ws.timezone);
      const at = (day: number, hour: number, minute = 0) =>
        zonedTimeToUtc({ year: 2026, month: 11, day, hour, minute }, zone);
      const people = [
        { member: organizer, provider: "google" as const, busy: { start: at(26, 11), end: at(26, 14) } },
        {
          member: teammate,
          provider: "microsoft" as const,
          busy: { start: at(27, 11, 30), end: at(27, 13) },
        },
      ];
      console.log(
        "\n== Calendars connected: the fake provider's consent page redirects to this server's /calendar/oauth page, which exchanges the code with the real client library and seals the grant",
      );
      for (const { member, provider, busy } of people) {
        if (!member?.email) continue;
        await fakeCalendars.connect(calendars, ws, member, {
          provider,
          email: member.email,
          busy: [busy],
          via: `http://127.0.0.1:${running.port}`,
        });
        connected.push({ member, email: member.email, provider });
        console.log(
          `  ${member.displayName || member.realName}: ${provider === "google" ? "Google Calendar" : "Outlook (Microsoft Graph)"} ${member.email}, busy ${formatWhen(busy.start, zone)}–${formatWhenZoned(busy.end, zone).split(", ")[1]}`,
        );
      }
      await postToSlackApp(eventsUrl, SIGNING_SECRET, {
        kind: "interaction",
        payload: {
          type: "block_actions",
          user: { id: lunchPrompt.userId, team_id: teamId },
          team: { id: teamId },
          api_app_id: "A0FAKE",
          trigger_id: "demo.trigger",
          container: { type: "message", channel_id: lunchPrompt.channel, message_ts: lunchPrompt.ts },
          channel: { id: lunchPrompt.channel },
          message: { ts: lunchPrompt.ts },
          actions: [{ type: "button", action_id: "prompt_plan", value: plan?.value ?? "" }],
        },
      });
      await running.background.drain(10_000);
      const opened = fake.callsTo("views.open").at(-1)?.args.view as
        | (types.ModalView & { private_metadata: string })
        | undefined;
      if (opened) {
        lunchModalView = opened;
        console.log(
          `\n== ${lunchPrompt.to} presses [Plan lunch]; Slack shows the modal\n${indent(named(viewToText(opened)))}`,
        );
        const initial = (id: string) =>
          (opened.blocks.find((b) => "block_id" in b && b.block_id === id) as types.InputBlock | undefined)
            ?.element as Record<string, unknown> | undefined;
        // They take the second time the form suggests (or pick a date themselves if there is none).
        const slots = (initial("slot")?.options as types.PlainTextOption[] | undefined) ?? [];
        const picked = slots.length > 2 ? slots[1] : undefined;
        const submit = await postToSlackApp(eventsUrl, SIGNING_SECRET, {
          kind: "interaction",
          payload: {
            type: "view_submission",
            user: { id: lunchPrompt.userId, team_id: teamId },
            team: { id: teamId },
            api_app_id: "A0FAKE",
            view: {
              id: "V0DEMO",
              callback_id: opened.callback_id,
              private_metadata: opened.private_metadata,
              state: {
                values: {
                  ...(picked
                    ? { slot: { slot: { type: "radio_buttons", selected_option: { value: picked.value } } } }
                    : {}),
                  date: { date: { type: "datepicker", selected_date: "2026-12-02" } },
                  time: { time: { type: "timepicker", selected_time: "12:30" } },
                  place: { place: { type: "plain_text_input", value: "Cafe Nord" } },
                  with: {
                    with: {
                      type: "multi_users_select",
                      selected_users:
                        (initial("with")?.initial_users as string[] | undefined)?.slice(0, 2) ?? [],
                    },
                  },
                },
              },
            },
          },
        });
        await running.background.drain(10_000);
        const updated = fake.callsTo("chat.update").at(-1);
        const invites = fake.callsTo("files.completeUploadExternal").length;
        console.log(
          `  They pick ${picked ? `the suggested ${picked.text.text}` : "Wed 2 Dec, 12:30"} at Cafe Nord and submit (HTTP ${submit.status}). The prompt now reads:`,
        );
        if (updated) console.log(indent(blocksToText(updated.args.blocks as types.KnownBlock[])));
        // What the provider holds now: the event the real Google client inserted at the fake.
        const own = organizer?.email
          ? fakeCalendars.google.accounts.get(organizer.email.toLowerCase())
          : null;
        for (const event of own?.events ?? []) {
          booked.push({
            title: event.title,
            start: event.start.toISOString(),
            end: event.end.toISOString(),
            attendees: event.attendees,
          });
          console.log(
            `  Booked in ${lunchPrompt.to}'s calendar at the fake Google Calendar: "${event.title}", ${formatWhenZoned(event.start, zone)} for ${(event.end.getTime() - event.start.getTime()) / 60_000} minutes; the calendar invites ${event.attendees.join(", ")} (sendUpdates=${event.sendUpdates ?? "none"}).`,
          );
        }
        console.log(
          `  ${invites} calendar invite${invites === 1 ? "" : "s"} (.ics) uploaded to the DMs of people going whose calendar the event didn't reach.`,
        );
      }
    }

    // The weekly digest, posted to #general through the real Slack app.
    clock.set("2026-11-27T21:00:00Z");
    ws = (await app.store.getWorkspace(ws.id)) ?? ws;
    const digest = await app.service.digestView(ws, "2026-W47");
    const posted = await app.service.postWeeklyDigest(ws, chat, "2026-W47");
    const digestPost = fake.callsTo("chat.postMessage").at(-1);
    console.log(`\n== Weekly digest for #${general?.name ?? "general"} (${posted.message})`);
    if (posted.posted && digestPost)
      console.log(indent(blocksToText(digestPost.args.blocks as types.KnownBlock[]), "  "));
    else console.log(digest.fallbackText);

    // The week after: the teammate with the Outlook calendar had coffee with another discussed
    // contact, whose email is on the event. The daily calendar job, run by the scheduler, reads the
    // past week of every connected calendar and counts it; the digest's offline coverage moves.
    const calendarWeek = "2026-W49";
    let calendarStory: Record<string, unknown> | null = null;
    const reader2 = connected.find((c) => c.provider === "microsoft") ?? connected[0];
    const emailOf = new Map<string, string>();
    for (const a of await app.store.listAliases(ws.id))
      if (a.kind === "email" && a.status === "tracked" && !emailOf.has(a.contactId))
        emailOf.set(a.contactId, a.normalized);
    const met = (await app.store.listContactStats(ws.id, { since, status: "tracked", limit: 15 })).find(
      (s) => s.contact.id !== lunchContactId && !s.contact.lastMetAt && emailOf.has(s.contact.id),
    );
    const metEmail = met ? emailOf.get(met.contact.id) : undefined;
    if (reader2 && met && metEmail) {
      const zone = memberTimeZone(reader2.member.tz, ws.timezone);
      const start = zonedTimeToUtc({ year: 2026, month: 12, day: 3, hour: 10 }, zone);
      const fakeProvider = reader2.provider === "google" ? fakeCalendars.google : fakeCalendars.graph;
      fakeProvider.account(reader2.email).events.push({
        id: "demo-coffee",
        start,
        end: new Date(start.getTime() + 45 * 60_000),
        title: `Coffee with ${met.contact.displayName}`,
        location: null,
        attendees: [reader2.email, metEmail],
        sendUpdates: null,
      });
      clock.set("2026-12-08T09:20:00Z");
      ws = (await app.store.getWorkspace(ws.id)) ?? ws;
      const before = (await app.service.digestView(ws, calendarWeek)).coverage;
      const scheduler = await startScheduler(app, (w) => running.chatFor(w), {
        timers: false,
        catchUp: false,
      });
      const [run] = await scheduler.runDue(["calendar-meetings"]).finally(() => scheduler.stop());
      const after = (await app.service.digestView(ws, calendarWeek)).coverage;
      const who = reader2.member.displayName || reader2.member.realName;
      const counted = await app.store.listNoticedMeetings(ws.id, {
        source: "calendar",
        status: ["recorded"],
      });
      console.log(
        `\n== The week after: the daily calendar job, run by the scheduler on Tue 8 Dec, reads the past 7 days of each connected calendar\n  ${who}'s ${reader2.provider === "google" ? "Google" : "Outlook"} calendar (at the fake) has an event on ${formatWhenZoned(start, zone)} with ${metEmail} among its guests; only starts and guests' emails are read.\n  The job read ${Number(run?.summary?.read ?? 0)} calendars and recorded ${counted.length} meeting${counted.length === 1 ? "" : "s"} with tracked contacts; only who, whom, the day and the source (calendar) are stored.`,
      );
      // What the teammate sees: App Home, through a signed Events API delivery.
      await postToSlackApp(eventsUrl, SIGNING_SECRET, {
        kind: "json",
        body: eventEnvelope(
          { type: "app_home_opened", user: reader2.member.platformUserId, tab: "home" },
          { teamId },
        ),
      });
      await running.background.drain(10_000);
      const home = fake.callsTo("views.publish").at(-1)?.args.view as types.HomeView | undefined;
      const line = home
        ? viewToText(home)
            .split("\n")
            .find((l) => l.includes("Counted your meeting"))
        : undefined;
      if (line) console.log(`  ${who}'s App Home: ${line.trim()}`);
      console.log(
        `  Offline coverage in the digest for week 49 (30 Nov–6 Dec): ${before.percentLabel} before the job, ${after.percentLabel} after. ${after.summary}`,
      );
      calendarStory = {
        booked,
        job: run ?? null,
        counted: counted.map((n) => ({
          day: n.day,
          source: n.source,
          contact: met.contact.id === n.contactId ? met.contact.displayName : n.contactId,
        })),
        coverage: { week: calendarWeek, before, after },
      };
    }

    writeFileSync(
      join(out, "prompts.json"),
      `${JSON.stringify(
        sent.map(({ blocks: _b, ...s }) => s),
        null,
        2,
      )}\n`,
    );
    writeFileSync(join(out, "digest.json"), `${JSON.stringify(digest, null, 2)}\n`);
    writeFileSync(join(out, "calendar.json"), `${JSON.stringify(calendarStory ?? { booked }, null, 2)}\n`);
    const slackDir = join(out, "slack");
    mkdirSync(slackDir, { recursive: true });
    writeFileSync(join(slackDir, "dms.json"), `${JSON.stringify(sent, null, 2)}\n`);
    if (lunchModalView)
      writeFileSync(join(slackDir, "lunch-modal.json"), `${JSON.stringify(lunchModalView, null, 2)}\n`);
    if (digestPost)
      writeFileSync(join(slackDir, "digest.json"), `${JSON.stringify(digestPost.args, null, 2)}\n`);
    console.log(
      `\nSaved the Block Kit JSON under ${slackDir} (paste a "blocks" array into https://app.slack.com/block-kit-builder), the prompts and the digest view under ${out}. Done in ${((Date.now() - t0) / 1000).toFixed(1)} s.`,
    );
    // Last, so it is what the terminal shows: the dashboard and a one-time sign-in link for an
    // admin of the sample company.
    const members = await app.service.listMembers(ws);
    const admin =
      members.find((m) => administers(m) && !m.isBot && !m.optedOut) ?? members.find((m) => !m.isBot);
    if (running.web && admin) {
      const token = await app.service.createSignInLink(ws, admin, 60);
      console.log(
        `\n== The dashboard: ${running.web.url}/${stay ? " — open the link below; Ctrl-C to stop" : ""}\n  Sign in as ${admin.displayName || admin.realName} (${administers(admin) ? "admin" : "member"}) with this one-time link (valid 60 minutes):\n  ${running.web.url}/auth/link?token=${token}${stay ? "" : "\n  (The demo exits now and the link with it: run `npm run demo -- --serve` to keep the dashboard up.)"}`,
      );
    }
    if (stay) {
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
        // The terminal closed.
        process.once("SIGHUP", resolve);
      });
      await running.stop();
      console.log("\nStopped the demo's server.");
    }
    return 0;
  } finally {
    await running.stop();
    await reader.close();
    await fake.close();
    await fakeCalendars.close();
  }
}
