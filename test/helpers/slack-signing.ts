import type { CalendarPort } from "../../src/app/calendar-port.ts";
import { type AppContext, openApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { fixedClock } from "../../src/core/ports.ts";
import type { Workspace } from "../../src/core/types.ts";
import { FakeSlack, type FakeSlackOptions, type FakeSlackUser } from "../../src/devtools/fake-slack.ts";
import {
  commandFields,
  eventEnvelope,
  newEventId,
  postToSlackApp,
  type SlackBody,
  type SlackPostOptions,
  type SlackPostResult,
} from "../../src/devtools/slack-signing.ts";
import { createLogger, type Logger } from "../../src/log.ts";
import type { SlackPlatform } from "../../src/platforms/slack/index.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import type { Provider } from "../../src/store/db.ts";
import { createEmptyDatabase } from "./db.ts";

// Signing and POST helpers (the implementation is in src/devtools, shared with the demo), and a
// harness that runs the real server with the real Slack app against a FakeSlack on 127.0.0.1.

export * from "../../src/devtools/slack-signing.ts";

export const SIGNING_SECRET = "test-signing-secret";
export const BOT_TOKEN = "xoxb-test-token";
export const TEAM_ID = "T0NORTH";

/** Teammates (team T0NORTH), one admin, one Slack Connect user from another company, one bot. */
export const USERS: Record<string, FakeSlackUser> = {
  UANN: {
    id: "UANN",
    team_id: TEAM_ID,
    tz: "America/New_York",
    is_admin: true,
    profile: { display_name: "Ann Smith", real_name: "Ann Smith", email: "ann@northwind.example" },
  },
  UBO: {
    id: "UBO",
    team_id: TEAM_ID,
    tz: "America/New_York",
    profile: { display_name: "Bo Chen", real_name: "Bo Chen", email: "bo@northwind.example" },
  },
  UCY: {
    id: "UCY",
    team_id: TEAM_ID,
    tz: "Europe/Berlin",
    profile: { display_name: "Cy Park", real_name: "Cy Park", email: "cy@northwind.example" },
  },
  UEXT: {
    id: "UEXT",
    team_id: "T0ACME",
    tz: "Europe/London",
    profile: { display_name: "Jane Doe", real_name: "Jane Doe", email: "jane@acme.example" },
  },
  UHELPER: { id: "UHELPER", team_id: TEAM_ID, is_bot: true, profile: { display_name: "Helper Bot" } },
};

/** A Wednesday afternoon: inside the default working hours in New York. */
export const DEFAULT_NOW = "2026-11-18T15:00:00Z";

export interface SlackHarness {
  fake: FakeSlack;
  app: AppContext;
  running: RunningServer;
  platform: SlackPlatform;
  clock: ReturnType<typeof fixedClock>;
  provider: Provider;
  dbUrl: string;
  /** http://127.0.0.1:PORT */
  base: string;
  post(body: SlackBody, options?: SlackPostOptions): Promise<SlackPostResult>;
  /** Posts an Events API delivery; returns the HTTP result and the event id used. */
  event(
    event: Record<string, unknown>,
    o?: { eventId?: string; teamId?: string; headers?: Record<string, string> },
  ): Promise<SlackPostResult & { eventId: string }>;
  /** Posts `/offline <text>` as `userId`; the reply lands on `responseUrl` (recorded by the fake as "response_url"). */
  command(
    userId: string,
    text: string,
    o?: { teamId?: string; triggerId?: string },
  ): Promise<SlackPostResult & { responseId: string }>;
  interaction(payload: Record<string, unknown>): Promise<SlackPostResult>;
  /** Waits for background work (event processing, command replies) to finish. */
  settle(): Promise<void>;
  /** Empties the database, the fake and the caches, so one harness can serve many tests. */
  reset(): Promise<void>;
  /** The test team's workspace row (created if the app hasn't yet). */
  workspace(): Promise<Workspace>;
  /** The responses posted to a command's response_url. */
  responses(responseId: string): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  fake?: FakeSlackOptions;
  now?: string;
  /** Runs before the server starts (e.g. to point apps.connections.open at a WebSocket server). */
  setup?: (fake: FakeSlack) => void | Promise<void>;
  /** Users the fake's users.info knows (default: USERS). */
  users?: FakeSlackUser[];
  /** The app's logger (default: JSON lines on stderr at LOG_LEVEL). */
  log?: Logger;
  /** People's connected calendars (default: none configured). */
  calendars?: CalendarPort;
  /** The server's port (default: any free one); for a PUBLIC_URL that must name it. */
  port?: number;
}

export async function startSlackHarness(provider: Provider, o: HarnessOptions = {}): Promise<SlackHarness> {
  const fake = await FakeSlack.start({ teamId: TEAM_ID, teamName: "Northwind", ...o.fake });
  for (const u of o.users ?? Object.values(USERS)) fake.addUser(u);
  await o.setup?.(fake);
  const db = await createEmptyDatabase(provider);
  const config = loadConfig({
    DATABASE_URL: db.url,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...o.env,
  });
  const clock = fixedClock(o.now ?? DEFAULT_NOW);
  const app = await openApp(config, {
    clock,
    log: o.log ?? createLogger(config.LOG_LEVEL),
    ...(o.calendars ? { calendars: o.calendars } : {}),
  });
  const running = await startServer(app, { port: o.port ?? 0, host: "127.0.0.1", scheduler: false });
  const platform = running.platforms.find((p) => p.name === "slack") as SlackPlatform | undefined;
  if (!platform) throw new Error("the Slack platform did not start");
  const base = `http://127.0.0.1:${running.port}`;
  const post = (body: SlackBody, options?: SlackPostOptions) =>
    postToSlackApp(`${base}/slack/events`, SIGNING_SECRET, body, options);
  let stopped = false;
  const h: SlackHarness = {
    fake,
    app,
    running,
    platform,
    clock,
    provider,
    dbUrl: db.url,
    base,
    post,
    async event(event, eo = {}) {
      const eventId = eo.eventId ?? newEventId();
      const res = await post(
        { kind: "json", body: eventEnvelope(event, { teamId: eo.teamId ?? TEAM_ID, eventId }) },
        eo.headers ? { headers: eo.headers } : {},
      );
      return { ...res, eventId };
    },
    async command(userId, text, co = {}) {
      const responseId = newEventId().toLowerCase();
      const res = await post({
        kind: "form",
        fields: commandFields({
          teamId: co.teamId ?? TEAM_ID,
          userId,
          text,
          responseUrl: fake.responseUrl(responseId),
          ...(co.triggerId ? { triggerId: co.triggerId } : {}),
        }),
      });
      return { ...res, responseId };
    },
    interaction: (payload) => post({ kind: "interaction", payload }),
    async settle() {
      // Background work can start more background work (a reply after a command): drain until quiet.
      for (let i = 0; i < 5; i++) {
        await running.background.drain(10_000);
        await new Promise((r) => setTimeout(r, 20));
        if (running.background.size === 0) return;
      }
    },
    async reset() {
      await h.settle();
      fake.resetAll();
      for (const u of o.users ?? Object.values(USERS)) fake.addUser(u);
      const db = app.database.db;
      await db.processedEvent.deleteMany();
      await db.jobRun.deleteMany();
      await db.workspace.deleteMany();
      platform.runtime.users.clear();
      platform.runtime.forgetEventWorkspace();
      clock.set(o.now ?? DEFAULT_NOW);
    },
    async workspace() {
      // The app creates the row on start-up or on the first event; tests may need it before either.
      return (
        (await app.store.findWorkspace("slack", TEAM_ID)) ??
        app.store.upsertWorkspace({ platform: "slack", externalId: TEAM_ID, name: "Northwind" })
      );
    },
    responses(responseId) {
      return fake.calls
        .filter((c) => c.method === "response_url" && c.pathId === responseId)
        .map((c) => c.args);
    },
    async close() {
      if (!stopped) await running.stop();
      stopped = true;
      await fake.close();
      await db.drop();
    },
  };
  return h;
}

/** Block action payload as Slack sends it for a click on a button in a message. */
export function blockAction(o: {
  userId: string;
  actionId: string;
  value: string;
  channel?: string;
  messageTs?: string;
  view?: { id: string; type: "home" };
  teamId?: string;
}): Record<string, unknown> {
  return {
    type: "block_actions",
    user: { id: o.userId, username: o.userId.toLowerCase(), team_id: o.teamId ?? TEAM_ID },
    api_app_id: "A0FAKE",
    token: "legacy-verification-token",
    team: { id: o.teamId ?? TEAM_ID, domain: "northwind" },
    trigger_id: `${Date.now()}.trigger`,
    ...(o.view
      ? { container: { type: "view", view_id: o.view.id }, view: { id: o.view.id, type: o.view.type } }
      : {
          container: { type: "message", channel_id: o.channel, message_ts: o.messageTs, is_ephemeral: false },
          channel: { id: o.channel, name: "directmessage" },
          message: { ts: o.messageTs, type: "message", text: "" },
        }),
    response_url: `https://hooks.slack.invalid/actions/${Date.now()}`,
    actions: [
      {
        type: "button",
        action_id: o.actionId,
        block_id: "b",
        value: o.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** view_submission payload for a modal we opened, with the given state values. */
export function viewSubmission(o: {
  userId: string;
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, unknown>>;
  teamId?: string;
}): Record<string, unknown> {
  return {
    type: "view_submission",
    team: { id: o.teamId ?? TEAM_ID, domain: "northwind" },
    user: { id: o.userId, username: o.userId.toLowerCase(), team_id: o.teamId ?? TEAM_ID },
    api_app_id: "A0FAKE",
    token: "legacy-verification-token",
    trigger_id: `${Date.now()}.trigger`,
    view: {
      id: "V0MODAL",
      type: "modal",
      callback_id: o.callbackId,
      private_metadata: o.privateMetadata,
      state: { values: o.values },
      hash: "h",
    },
    response_urls: [],
  };
}

/** Epoch-seconds ts string for a Date, Slack style. */
export function slackTs(at: Date | string, seq = 0): string {
  return `${Math.floor(new Date(at).getTime() / 1000)}.${String(seq).padStart(6, "0")}`;
}
