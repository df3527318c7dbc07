import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openApp } from "../../src/app.ts";
import { BackgroundWork } from "../../src/background.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { createSlackPlatform } from "../../src/platforms/slack/index.ts";
import { createEmptyDatabase, PROVIDERS } from "../helpers/db.ts";
import { type SlackHarness, slackTs, startSlackHarness, TEAM_ID } from "../helpers/slack-signing.ts";

// Multi-workspace OAuth: /slack/install → Slack's authorize page (we only read the redirect) →
// /slack/oauth_redirect → oauth.v2.access on the fake → the installation stored encrypted → events
// from that team authorized with the stored token. Then uninstalling removes it all.

const OAUTH_TOKEN = "xoxb-oauth-very-secret-token";
const KEY = "a".repeat(64);

describe.each(PROVIDERS)("Slack OAuth on %s", (provider) => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness(provider, {
      env: {
        SLACK_BOT_TOKEN: "",
        SLACK_CLIENT_ID: "client-id-123",
        SLACK_CLIENT_SECRET: "client-secret-456",
        SLACK_STATE_SECRET: "state-secret-789",
        TOKEN_ENCRYPTION_KEY: KEY,
      },
      fake: {
        oauth: {
          accessToken: OAUTH_TOKEN,
          installerUserId: "UANN",
          teamId: TEAM_ID,
          teamName: "Northwind",
          scopes: ["chat:write", "commands"],
        },
      },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  const db = () => h.app.database.db;
  const message = (seq: number) => ({
    type: "message",
    channel: "C0SALES",
    channel_type: "channel",
    user: "UBO",
    text: `call with <@UEXT> ${seq}`,
    ts: slackTs("2026-11-18T14:00:00Z", seq),
  });

  async function install(): Promise<Response> {
    const start = await fetch(`${h.base}/slack/install`, { redirect: "manual" });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    expect(location.searchParams.get("client_id")).toBe("client-id-123");
    expect(location.searchParams.get("scope")?.split(",")).toEqual(
      expect.arrayContaining(["chat:write", "commands", "channels:history", "users:read"]),
    );
    const state = location.searchParams.get("state");
    expect(state).toBeTruthy();
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    expect(cookie).toContain(`slack-app-oauth-state=${state}`);
    return fetch(`${h.base}/slack/oauth_redirect?code=good-code&state=${encodeURIComponent(state!)}`, {
      headers: { cookie },
      redirect: "manual",
    });
  }

  it("installs, stores the installation encrypted and authorizes that team's events with it", async () => {
    const before = await h.event(message(1));
    expect(before.status).toBe(401);

    const done = await install();
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Take It Offline is installed");
    const [exchange] = h.fake.callsTo("oauth.v2.access");
    expect(exchange?.args).toMatchObject({
      code: "good-code",
      client_id: "client-id-123",
      client_secret: "client-secret-456",
    });

    const row = await db().installation.findFirstOrThrow({ include: { workspace: true } });
    expect(row).toMatchObject({ teamId: TEAM_ID, isEnterpriseInstall: false, botUserId: h.fake.botUserId });
    expect(row.dataEnc.startsWith("v1.")).toBe(true);
    expect(row.dataEnc).not.toContain(OAUTH_TOKEN);
    expect(row.dataEnc).not.toContain("xoxb");
    expect(row.workspace).toMatchObject({ platform: "slack", externalId: TEAM_ID, name: "Northwind" });
    // The installer's profile time zone became the workspace's.
    expect(row.workspace.timezone).toBe("America/New_York");
    expect(h.fake.callsTo("users.info").find((c) => c.args.user === "UANN")?.token).toBe(OAUTH_TOKEN);

    // The installed team's members were loaded with the new token; the Slack Connect user wasn't.
    await h.settle();
    expect(
      (await db().member.findMany({ orderBy: { platformUserId: "asc" } })).map((m) => m.platformUserId),
    ).toEqual(["UANN", "UBO", "UCY", "UHELPER"]);
    expect(h.fake.callsTo("users.list")[0]?.token).toBe(OAUTH_TOKEN);

    h.fake.reset();
    const after = await h.event(message(2));
    expect(after.status).toBe(200);
    await h.settle();
    expect(await db().mention.count()).toBe(1);
    // Its author and the Slack Connect user it mentions were known from users.list: a message
    // costs no users.info lookups.
    expect(h.fake.callsTo("users.info")).toEqual([]);

    // Outbound messages use the stored token too.
    const ws = await h.workspace();
    const bo = (await h.app.store.getMember(ws.id, "UBO"))!;
    await h.platform.chat.sendPrompt(ws, bo, {
      kind: "follow-up",
      lunchId: "l1",
      contactName: "Jane Doe",
      when: null,
      place: null,
    });
    expect(h.fake.callsTo("chat.postMessage")[0]?.token).toBe(OAUTH_TOKEN);
  });

  it("rejects a callback whose state doesn't match the browser's cookie", async () => {
    const start = await fetch(`${h.base}/slack/install`, { redirect: "manual" });
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state")!;
    const noCookie = await fetch(
      `${h.base}/slack/oauth_redirect?code=good-code&state=${encodeURIComponent(state)}`,
    );
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toContain("Installation failed");
    const forged = await fetch(`${h.base}/slack/oauth_redirect?code=good-code&state=forged`, {
      headers: { cookie: "slack-app-oauth-state=forged" },
    });
    expect(forged.status).toBe(400);
    expect(h.fake.callsTo("oauth.v2.access")).toHaveLength(0);
    expect(await db().installation.count()).toBe(0);
  });

  it("fails cleanly when Slack refuses the code", async () => {
    h.fake.once("oauth.v2.access", { ok: false, error: "invalid_code" });
    const res = await install();
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Installation failed");
    expect(await db().installation.count()).toBe(0);
  });

  it("deletes the installation and the workspace's data on app_uninstalled", async () => {
    expect((await install()).status).toBe(200);
    await h.event(message(1));
    await h.settle();
    expect(await db().mention.count()).toBe(1);
    const res = await h.event({ type: "app_uninstalled" });
    expect(res.status).toBe(200);
    await h.settle();
    expect(await db().installation.count()).toBe(0);
    expect(await db().workspace.count()).toBe(0);
    expect(await db().mention.count()).toBe(0);
    expect((await h.event(message(2))).status).toBe(401);
  });

  it("reinstalling updates the stored installation instead of adding one", async () => {
    expect((await install()).status).toBe(200);
    expect((await install()).status).toBe(200);
    expect(await db().installation.count()).toBe(1);
    expect(await db().workspace.count()).toBe(1);
  });

  it("after installing over an import, DMs the installer (an admin) the review of who was found, once", async () => {
    // An export imported before the install: people found in text, nobody asked about them yet.
    const ws = await h.workspace();
    const bo = await h.app.service.member(ws, {
      platformUserId: "UBO",
      displayName: "Bo Chen",
      external: false,
    });
    for (const [i, email] of ["priya@orbit.example", "kenji@sora.example"].entries())
      await h.app.service.tracker.processMessage(ws, {
        workspaceId: ws.id,
        messageId: `C0SALES:${i}`,
        channelId: "C0SALES",
        author: { platformUserId: bo.platformUserId, displayName: "Bo Chen", external: false },
        text: `Could ${email} join the pilot?`,
        at: h.clock.now(),
        source: "import",
        userRefs: [],
      });
    expect((await install()).status).toBe(200);
    await h.settle();
    const reviews = () =>
      h.fake.callsTo("chat.postMessage").filter((c) => String(c.args.text).startsWith("Review who we found"));
    expect(reviews()).toHaveLength(1);
    expect(reviews()[0]?.args.channel).toBe("UANN");
    expect(reviews()[0]?.channel).toBe("DUANN");
    expect(reviews()[0]?.token).toBe(OAUTH_TOKEN);
    expect(JSON.stringify(reviews()[0]?.args.blocks)).toContain("priya@orbit.example");
    // Installed again: not sent twice.
    expect((await install()).status).toBe(200);
    await h.settle();
    expect(reviews()).toHaveLength(1);
  });
});

describe.each(PROVIDERS)("Slack configuration on %s", (provider) => {
  async function platformWith(env: Record<string, string>) {
    const db = await createEmptyDatabase(provider);
    const app = await openApp(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: "silent", ...env }), {
      log: createLogger("silent"),
    });
    try {
      return await createSlackPlatform({ app, background: new BackgroundWork(app.log) });
    } finally {
      await app.close();
      await db.drop();
    }
  }

  it("is off without a bot token or OAuth credentials", async () => {
    expect(await platformWith({})).toBeNull();
    expect(await platformWith({ SLACK_SIGNING_SECRET: "s" })).toBeNull();
  });

  it("refuses HTTP mode without a signing secret, and says how to fix it", async () => {
    await expect(platformWith({ SLACK_BOT_TOKEN: "xoxb-1" })).rejects.toThrow(/SLACK_SIGNING_SECRET/);
  });

  it("picks the mode from the environment", async () => {
    const single = await platformWith({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" });
    expect(single).toMatchObject({ name: "slack", socketMode: false, runtime: { mode: { kind: "single" } } });
    const socket = await platformWith({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" });
    expect(socket).toMatchObject({ socketMode: true });
    const oauth = await platformWith({
      SLACK_CLIENT_ID: "c",
      SLACK_CLIENT_SECRET: "s",
      SLACK_STATE_SECRET: "t",
      TOKEN_ENCRYPTION_KEY: KEY,
      SLACK_SIGNING_SECRET: "s",
    });
    expect(oauth?.runtime.mode.kind).toBe("oauth");
  });
});
