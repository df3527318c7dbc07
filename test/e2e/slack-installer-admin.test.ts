import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../helpers/db.ts";
import { TEAM_ID, USERS } from "../helpers/slack-signing.ts";
import { startWebHarness, WebClient, type WebHarness } from "../helpers/web.ts";

// Whoever installs the app through Slack's OAuth administers it, even when Slack doesn't call them
// an admin: admin commands, the dashboard's admin pages, and after every roster sync. Bo installs
// here; the fake's users.list and users.info never say Bo is an admin (Ann is the Slack admin).

const OAUTH_TOKEN = "xoxb-installer-admin-token";

describe.each(PROVIDERS)("the Slack installer administers the workspace on %s", (provider) => {
  let w: WebHarness;
  beforeAll(async () => {
    expect(USERS.UBO?.is_admin).toBeFalsy();
    w = await startWebHarness(provider, {
      env: {
        SLACK_BOT_TOKEN: "",
        SLACK_STATE_SECRET: "state-secret-789",
        TOKEN_ENCRYPTION_KEY: "b".repeat(64),
      },
      fake: {
        oauth: {
          accessToken: OAUTH_TOKEN,
          installerUserId: "UBO",
          teamId: TEAM_ID,
          teamName: "Northwind",
          scopes: ["chat:write", "commands", "users:read"],
        },
      },
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  const h = () => w.h;

  /** The OAuth flow as a browser runs it: /slack/install, then Slack's redirect back with a code. */
  async function install(): Promise<void> {
    const start = await fetch(`${w.base}/slack/install`, { redirect: "manual" });
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const cookie = start.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const done = await fetch(
      `${w.base}/slack/oauth_redirect?code=good-code&state=${encodeURIComponent(state)}`,
      { headers: { cookie }, redirect: "manual" },
    );
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Take It Offline is installed");
    await h().settle();
  }

  /** `/offline settings`: true when the modal opened, false when refused (the refusal checked). */
  async function opensSettings(userId: string): Promise<boolean> {
    const before = h().fake.callsTo("views.open").length;
    const res = await h().command(userId, "settings", { triggerId: `trigger-${userId}` });
    expect(res.status).toBe(200);
    await h().settle();
    const replies = h().responses(res.responseId);
    const opened = h().fake.callsTo("views.open").length > before;
    if (!opened) expect(String(replies[0]?.text)).toContain("Only workspace admins");
    else expect(replies).toHaveLength(0);
    return opened;
  }

  async function signIn(userId: string): Promise<WebClient> {
    const c = new WebClient(w.base);
    w.oidc.slackUser = { teamId: TEAM_ID, userId, name: userId };
    expect((await c.follow("/app/auth/slack")).status).toBe(200);
    return c;
  }

  async function adminPages(c: WebClient): Promise<number[]> {
    return [(await c.get("/app/contacts")).status, (await c.get("/app/settings")).status];
  }

  it("marks the installer, who then gets admin commands and the dashboard's admin pages", async () => {
    await install();
    const ws = await h().workspace();
    expect(await h().app.store.getMember(ws.id, "UBO")).toMatchObject({ isAdmin: false, isInstaller: true });
    expect(await h().app.store.getMember(ws.id, "UCY")).toMatchObject({ isAdmin: false, isInstaller: false });

    expect(await opensSettings("UBO")).toBe(true);
    expect(await opensSettings("UCY")).toBe(false);

    const bo = await signIn("UBO");
    const overview = await bo.get("/app/");
    expect(overview.text).toContain('href="/app/contacts"');
    expect(overview.text).toContain('href="/app/settings"');
    expect(await adminPages(bo)).toEqual([200, 200]);
    const cy = await signIn("UCY");
    expect((await cy.get("/app/")).text).not.toContain('href="/app/settings"');
    expect(await adminPages(cy)).toEqual([403, 403]);
  });

  it("stays an admin after a roster sync and fresh profile lookups that say not admin", async () => {
    const ws = await h().workspace();
    const rt = h().platform.runtime;
    rt.users.clear();
    const listed = h().fake.callsTo("users.list").length;
    await rt.syncMembers(ws, await rt.clientFor(ws), { teamId: TEAM_ID, enterpriseId: undefined });
    expect(h().fake.callsTo("users.list").length).toBeGreaterThan(listed);
    expect(await h().app.store.getMember(ws.id, "UBO")).toMatchObject({ isAdmin: false, isInstaller: true });

    // Uncached: the command looks Bo up again (users.info: not an admin) and refreshes the row.
    rt.users.clear();
    const looked = h().fake.callsTo("users.info").length;
    expect(await opensSettings("UBO")).toBe(true);
    expect(h().fake.callsTo("users.info").length).toBeGreaterThan(looked);
    expect(await adminPages(await signIn("UBO"))).toEqual([200, 200]);
  });

  it("a reinstall by someone else marks them too, and the first installer stays one", async () => {
    h().fake.once("oauth.v2.access", {
      ok: true,
      app_id: "A0FAKE",
      authed_user: { id: "UCY" },
      scope: "chat:write,commands,users:read",
      token_type: "bot",
      access_token: OAUTH_TOKEN,
      bot_user_id: h().fake.botUserId,
      team: { id: TEAM_ID, name: "Northwind" },
      enterprise: null,
      is_enterprise_install: false,
    });
    await install();
    const ws = await h().workspace();
    expect(await h().app.store.getMember(ws.id, "UCY")).toMatchObject({ isAdmin: false, isInstaller: true });
    expect(await h().app.store.getMember(ws.id, "UBO")).toMatchObject({ isInstaller: true });
    expect(await opensSettings("UCY")).toBe(true);
    expect(await adminPages(await signIn("UCY"))).toEqual([200, 200]);
  });
});
