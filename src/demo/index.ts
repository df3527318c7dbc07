import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { types } from "@slack/bolt";
import { openApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { fixedClock } from "../core/ports.ts";
import { FakeSlack, type FakeSlackUser } from "../devtools/fake-slack.ts";
import { freePort } from "../devtools/free-port.ts";
import { commandFields, postToSlackApp } from "../devtools/slack-signing.ts";
import { importSlackExport } from "../import/run.ts";
import { openSlackExport, primaryTeamId } from "../import/slack-export.ts";
import { createLogger } from "../log.ts";
import type { SlackPlatform } from "../platforms/slack/index.ts";
import { blocksToText, viewToText } from "../platforms/slack/render/plain-text.ts";
import { generateSampleExport } from "../sample/index.ts";
import { startServer } from "../server.ts";
import { exportBefore, replayExport } from "./slack-replay.ts";

// npm run demo: the whole product on a synthetic company's Slack export, with no Slack account.
// The real server and Slack app run against a local fake Slack Web API (src/devtools): older
// history is imported in bulk, the last two weeks are replayed into /slack/events as signed Events
// API deliveries, a teammate uses /offline, the hourly sweeps DM people, one of them plans a lunch
// through the modal, and the weekly digest is posted. Everything the bot sent is printed as a person would read it, and its Block Kit JSON is
// saved next to the demo database.

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

  // Staying up: the port asked for (PORT, else 3000), or any when that one is taken; an explicit
  // --port is used as given.
  const port = values.port
    ? Number(values.port)
    : stay
      ? await freePort(Number(process.env.PORT ?? 3000))
      : await freePort();
  const config = loadConfig({
    ...process.env,
    // The dashboard at /app/: its links name this server; its sessions are signed with a key of this run.
    PUBLIC_URL: process.env.PUBLIC_URL || `http://127.0.0.1:${port}`,
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
    const dms = fake
      .callsTo("chat.postMessage")
      .slice(before)
      .filter((c) => String(c.args.channel).startsWith("D"));
    console.log(
      `\n== Prompts (${dms.length} DMs over Tue–Thu, hourly sweeps in each person's working hours)`,
    );
    const sent = dms.map((c) => {
      const channel = String(c.args.channel);
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
    if (lunchPrompt) {
      const actionsBlock = lunchPrompt.blocks.find((b): b is types.ActionsBlock => b.type === "actions");
      const plan = actionsBlock?.elements.find((e) => "action_id" in e && e.action_id === "prompt_plan") as
        | types.Button
        | undefined;
      clock.set("2026-11-25T15:00:00Z");
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
          `  They pick Wed 2 Dec, 12:30 at Cafe Nord and submit (HTTP ${submit.status}). The prompt now reads:`,
        );
        if (updated) console.log(indent(blocksToText(updated.args.blocks as types.KnownBlock[])));
        console.log(
          `  ${invites} calendar invite${invites === 1 ? "" : "s"} (.ics) uploaded to the DMs of everyone going.`,
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

    writeFileSync(
      join(out, "prompts.json"),
      `${JSON.stringify(
        sent.map(({ blocks: _b, ...s }) => s),
        null,
        2,
      )}\n`,
    );
    writeFileSync(join(out, "digest.json"), `${JSON.stringify(digest, null, 2)}\n`);
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
    const admin = members.find((m) => m.isAdmin && !m.isBot && !m.optedOut) ?? members.find((m) => !m.isBot);
    if (running.web && admin) {
      const token = await app.service.createSignInLink(ws, admin, 60);
      console.log(
        `\n== The dashboard: ${running.web.url}/${stay ? " — open the link below; Ctrl-C to stop" : ""}\n  Sign in as ${admin.displayName || admin.realName} (${admin.isAdmin ? "admin" : "member"}) with this one-time link (valid 60 minutes):\n  ${running.web.url}/auth/link?token=${token}${stay ? "" : "\n  (The demo exits now and the link with it: run `npm run demo -- --serve` to keep the dashboard up.)"}`,
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
  }
}
