import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildDigest, type DigestInput } from "../../../src/core/digest.ts";
import { sparkline } from "../../../src/core/format.ts";
import { digestBlocks } from "../../../src/platforms/slack/render/digest.ts";
import { digestCard } from "../../../src/platforms/teams/cards.ts";
import { PROVIDERS } from "../../helpers/db.ts";
import { slackTs } from "../../helpers/slack-signing.ts";
import { startWebHarness, WebClient, type WebHarness } from "../../helpers/web.ts";
import { chartData, EXPECTED, type Seeded, seedHistory } from "../../helpers/web-seed.ts";

// The dashboard over HTTP on the real server: sign-in through the fake Slack and Microsoft OpenID
// providers, sessions and CSRF, who sees what, the overview's numbers from a seeded history, bulk
// review (and its effect on App Home and the digest), settings through the chat forms' parser, and
// My data (download, pause, forget me).

describe.each(PROVIDERS)("web dashboard on %s", (provider) => {
  let w: WebHarness;
  let seed: Seeded;
  beforeAll(async () => {
    w = await startWebHarness(provider, { microsoft: true });
  });
  beforeEach(async () => {
    await w.h.reset();
    w.oidc.forgeSignatures = false;
    seed = await seedHistory(w.h.app);
  });
  afterAll(async () => {
    await w?.close();
  });

  async function signIn(userId: string): Promise<WebClient> {
    const c = new WebClient(w.base);
    w.oidc.slackUser = { teamId: "T0NORTH", userId, name: "x" };
    const last = await c.follow("/app/auth/slack");
    expect(last.status).toBe(200);
    expect(c.cookies.has("tio_session")).toBe(true);
    return c;
  }

  it("sends strangers to sign-in and signs in with Slack through OpenID Connect", async () => {
    const anon = new WebClient(w.base);
    const first = await anon.get("/app/");
    expect(first.status).toBe(303);
    expect(first.location).toBe("/app/sign-in");
    const signInPage = await anon.get("/app/sign-in");
    expect(signInPage.text).toContain("Sign in with Slack");
    expect(signInPage.text).toContain("Sign in with Microsoft");

    const start = await anon.get("/app/auth/slack");
    const authorize = new URL(start.location ?? "");
    expect(authorize.origin).toBe(w.oidc.url);
    expect(authorize.pathname).toBe("/openid/connect/authorize");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${w.base}/app/auth/slack/callback`);
    expect(authorize.searchParams.get("scope")).toBe("openid profile email");
    const cookie = start.headers.getSetCookie().join("\n");
    expect(cookie).toMatch(/tio_login=.*HttpOnly.*SameSite=Lax/);

    const ann = await signIn("UANN");
    const setCookie = (await ann.get("/app/")).text;
    expect(setCookie).toContain("Northwind");
    expect(setCookie).toContain('href="/app/contacts"');
    expect(setCookie).toContain('href="/app/settings"');
  });

  it("refuses a forged id_token, a foreign state and a tampered session", async () => {
    w.oidc.forgeSignatures = true;
    const c = new WebClient(w.base);
    w.oidc.slackUser = { teamId: "T0NORTH", userId: "UANN" };
    const forged = await c.follow("/app/auth/slack");
    expect(forged.status).toBe(400);
    expect(c.cookies.has("tio_session")).toBe(false);
    w.oidc.forgeSignatures = false;

    // A callback with a code but another browser's state.
    const other = new WebClient(w.base);
    const start = await other.get("/app/auth/slack");
    const back = await fetch(start.location ?? "", { redirect: "manual" });
    const callback = new URL(back.headers.get("location") ?? "");
    callback.searchParams.set("state", "x".repeat(32));
    const wrongState = await other.get(`/app/auth/slack/callback${callback.search}`);
    expect(wrongState.status).toBe(400);
    expect(other.cookies.has("tio_session")).toBe(false);

    const ann = await signIn("UANN");
    const session = ann.cookies.get("tio_session") ?? "";
    const [payload, mac] = session.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, u: "UBO" })).toString("base64url");
    ann.cookies.set("tio_session", `${forgedPayload}.${mac}`);
    expect((await ann.get("/app/")).location).toBe("/app/sign-in");
  });

  it("signs in with Microsoft by tenant and object id, and only people the bot knows", async () => {
    const teams = await w.h.app.store.upsertWorkspace({
      platform: "teams",
      externalId: "tenant-1",
      name: "Contoso",
    });
    await w.h.app.service.member(teams, {
      platformUserId: "29:dana",
      displayName: "Dana Teams",
      external: false,
      aadObjectId: "oid-dana",
    });
    const c = new WebClient(w.base);
    w.oidc.microsoftUser = { tenantId: "tenant-1", objectId: "oid-dana" };
    const page = await c.follow("/app/auth/microsoft");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Contoso");
    expect(page.text).not.toContain("Northwind");
    // A member, not an admin: no admin pages.
    expect(page.text).not.toContain('href="/app/contacts"');
    expect((await c.get("/app/contacts")).status).toBe(403);

    const stranger = new WebClient(w.base);
    w.oidc.microsoftUser = { tenantId: "tenant-1", objectId: "oid-nobody" };
    const refused = await stranger.follow("/app/auth/microsoft");
    expect(refused.status).toBe(403);
    expect(stranger.cookies.has("tio_session")).toBe(false);
  });

  it("draws the overview from the seeded history: coverage per week, lunches, online-only", async () => {
    const ann = await signIn("UANN");
    const page = await ann.get("/app/");
    const { weeks } = chartData(page.text);
    expect(weeks).toHaveLength(26);
    expect(weeks[0]?.week).toBe(EXPECTED.firstWeek);
    const last = weeks.at(-1);
    expect(last).toMatchObject({
      week: EXPECTED.lastWeek,
      met: 1,
      total: 2,
      coverage: 50,
      planned: 2,
      held: 1,
    });
    const alone = weeks.filter((x) => x.total === 1);
    expect(alone.map((x) => x.week)).toEqual(
      weeks.map((x) => x.week).filter((k) => k >= EXPECTED.aloneWeeks[0]! && k <= EXPECTED.aloneWeeks[1]!),
    );
    expect(alone).toHaveLength(12);
    expect(alone.every((x) => x.met === 0)).toBe(true);
    expect(weeks.filter((x) => x.total === 0)).toHaveLength(13);
    // The digest of that week says the same, and its sparkline ends with the same week.
    const digest = await w.h.app.service.digestView(seed.ws, EXPECTED.lastWeek);
    expect({ met: digest.coverage.met, total: digest.coverage.total }).toEqual(EXPECTED.lastWeekCoverage);
    expect(digest.coverageTrend).toEqual([null, null, null, null, null, null, null, 0.5]);
    expect(digest.fallbackText).toContain(
      `Last 8 weeks: ·······▅ · See the trend on the dashboard (${w.base}/app/)`,
    );
    // Still online-only: Grace (never met); Ada was met; the candidate is never listed.
    const online = page.text.split('id="online-h"')[1] ?? "";
    expect(online).toContain("Grace Hopper");
    expect(online).not.toContain("Ada Lovelace");
    expect(page.text).not.toContain("Maybe Person");
  });

  it("lets admins bulk-review contacts, and App Home and the digest follow", async () => {
    const ann = await signIn("UANN");
    const contacts = await ann.get("/app/contacts");
    expect(contacts.text).toContain("Maybe Person");
    const csrf = WebClient.csrf(contacts.text);

    // Without the CSRF token, or from another origin: refused, nothing changes.
    expect((await ann.post("/app/contacts/review", { id: seed.maybe.id, action: "track" })).status).toBe(403);
    expect(
      (
        await ann.post(
          "/app/contacts/review",
          { _csrf: csrf, id: seed.maybe.id, action: "track" },
          { origin: "https://evil.example" },
        )
      ).status,
    ).toBe(403);
    expect((await w.h.app.store.getContact(seed.ws.id, seed.maybe.id))?.status).toBe("candidate");

    const done = await ann.post("/app/contacts/review", {
      _csrf: csrf,
      id: [seed.maybe.id],
      action: "track",
    });
    expect(done.status).toBe(303);
    expect((await w.h.app.store.getContact(seed.ws.id, seed.maybe.id))?.status).toBe("tracked");
    expect(decodeURIComponent(done.location ?? "")).toContain("Tracking 1 contact");

    // Cy's App Home now lists the contact they talk about most.
    await w.h.event({
      type: "app_home_opened",
      user: "UCY",
      channel: "D0CY",
      tab: "home",
      event_ts: slackTs(w.h.clock.now().toISOString(), 1),
    });
    await w.h.settle();
    const home = JSON.stringify(w.h.fake.callsTo("views.publish").at(-1)?.args.view);
    expect(home).toContain("Maybe Person");
    // App Home links to the dashboard.
    expect(home).toContain(`<${w.base}/app/|open the dashboard>`);
    // And the digest of the week names them now.
    const digest = await w.h.app.service.digestView(seed.ws, EXPECTED.lastWeek);
    expect(digest.topContacts.map((c) => c.displayName)).toContain("Maybe Person");

    // Hide Grace for everyone: gone from the digest.
    await ann.post("/app/contacts/review", { _csrf: csrf, id: seed.grace.id, action: "not-external" });
    expect((await w.h.app.store.getContact(seed.ws.id, seed.grace.id))?.status).toBe("ignored");
    const after = await w.h.app.service.digestView(seed.ws, EXPECTED.lastWeek);
    expect(after.topContacts.map((c) => c.displayName)).not.toContain("Grace Hopper");

    // Merge: Alan into Ada (the first selected stays), with his mention.
    const merged = await ann.post("/app/contacts/review", {
      _csrf: csrf,
      id: [seed.ada.id, seed.alan.id],
      action: "merge",
    });
    expect(decodeURIComponent(merged.location ?? "")).toContain("Merged 2 contacts");
    expect(await w.h.app.store.getContact(seed.ws.id, seed.alan.id)).toBeNull();

    // Another workspace's contact id changes nothing.
    const other = await w.h.app.store.upsertWorkspace({
      platform: "slack",
      externalId: "T0OTHER",
      name: "Other",
    });
    const theirs = await w.h.app.store.createContact(
      other.id,
      { displayName: "Their Contact", status: "candidate" },
      [],
    );
    await ann.post("/app/contacts/review", { _csrf: csrf, id: theirs.id, action: "track" });
    expect((await w.h.app.store.getContact(other.id, theirs.id))?.status).toBe("candidate");
  });

  it("shows members their own pages only", async () => {
    const bo = await signIn("UBO");
    const home = await bo.get("/app/");
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('href="/app/settings"');
    expect((await bo.get("/app/settings")).status).toBe(403);
    const csrf = WebClient.csrf(home.text);
    expect(
      (await bo.post("/app/contacts/review", { _csrf: csrf, id: seed.maybe.id, action: "track" })).status,
    ).toBe(403);
    expect((await w.h.app.store.getContact(seed.ws.id, seed.maybe.id))?.status).toBe("candidate");
    // Bo's lunches: his own (Ada), not Cy's lunch with Grace.
    const lunches = await bo.get("/app/lunches");
    expect(lunches.text).toContain("Ada Lovelace");
    expect(lunches.text).not.toContain("Grace Hopper");
    // …and his meeting with Ada on 1 Oct, recorded with `met`.
    const met = lunches.text.split('id="mt-h"')[1] ?? "";
    expect(met).toContain("Ada Lovelace");
    expect(met).toContain("Thu 1 Oct");
    expect(met).toContain("with met");
  });

  it("refuses invalid settings with the chat forms' errors, and saves valid ones", async () => {
    const ann = await signIn("UANN");
    const page = await ann.get("/app/settings");
    const csrf = WebClient.csrf(page.text);
    const bad = await ann.post("/app/settings", {
      _csrf: csrf,
      digestChannel: "C0SALES",
      mentionThreshold: "0",
      timezone: "Mars/Olympus",
      workingHourStart: "16",
      workingHourEnd: "10",
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Enter a whole number from 1 to");
    expect(bad.text).toContain("Mars/Olympus is not a time zone I know");
    expect(bad.text).toContain("Working hours must start before they end.");
    const unchanged = await w.h.app.store.getWorkspace(seed.ws.id);
    expect(unchanged?.settings.mentionThreshold).toBe(seed.ws.settings.mentionThreshold);
    expect(unchanged?.digestChannel).toBe(seed.ws.digestChannel);

    const noDays = await ann.post("/app/settings", { _csrf: csrf, workingDays__present: "1" });
    expect(noDays.status).toBe(400);
    expect(noDays.text).toContain("Pick at least one day.");

    const good = await ann.post("/app/settings", {
      _csrf: csrf,
      digestChannel: "C0SALES",
      mentionThreshold: "5",
      timezone: "Europe/Berlin",
      workingDays: ["1", "2", "3"],
      workingDays__present: "1",
    });
    expect(good.status).toBe(303);
    const saved = await w.h.app.store.getWorkspace(seed.ws.id);
    expect(saved).toMatchObject({ digestChannel: "C0SALES", timezone: "Europe/Berlin" });
    expect(saved?.settings.mentionThreshold).toBe(5);
    expect(saved?.settings.workingDays).toEqual([1, 2, 3]);
  });

  it("shows my data, downloads it, pauses and forgets me", async () => {
    const bo = await signIn("UBO");
    const me = await bo.get("/app/me");
    expect(me.text).toContain("Ada Lovelace");
    const json = await bo.get("/app/me.json");
    expect(json.headers.get("content-disposition")).toContain("attachment");
    const data = JSON.parse(json.text);
    expect(data.you.platformUserId).toBe("UBO");
    expect(data.mentions.map((m: { contact: string }) => m.contact).sort()).toEqual(
      ["Ada Lovelace", "Alan Turing", "Grace Hopper"].sort(),
    );
    const csrf = WebClient.csrf(me.text);
    await bo.post("/app/me/pause", { _csrf: csrf, days: "14" });
    expect((await w.h.app.store.getMember(seed.ws.id, "UBO"))?.paused).toBe(true);

    const unconfirmed = await bo.post("/app/me/forget", { _csrf: csrf });
    expect(decodeURIComponent(unconfirmed.location ?? "")).toContain("Tick the box");
    expect(await w.h.app.store.countMentions(seed.ws.id)).toBe(10);
    // An unused sign-in link of Bo's goes with the rest.
    const link = await w.h.app.service.createSignInLink(seed.ws, seed.bo, 15);
    await bo.post("/app/me/forget", { _csrf: csrf, confirm: "yes" });
    expect(await w.h.app.database.db.signInToken.count({ where: { memberId: seed.bo.id } })).toBe(0);
    expect((await new WebClient(w.base).get(`/app/auth/link?token=${link}`)).status).toBe(400);
    const gone = await w.h.app.store.getMember(seed.ws.id, "UBO");
    expect(gone).toMatchObject({ optedOut: true, displayName: "", email: null });
    // Bo's 5 mentions went; Cy's (2 of Grace, 4 of the candidate) stay.
    expect(await w.h.app.store.countMentions(seed.ws.id)).toBe(5);
    const after = JSON.parse((await bo.get("/app/me.json")).text);
    expect(after.mentions).toEqual([]);
  });

  it("signs in once with a one-time link, and never twice or late", async () => {
    const token = await w.h.app.service.createSignInLink(seed.ws, seed.ann, 15);
    const c = new WebClient(w.base);
    const first = await c.get(`/app/auth/link?token=${token}`);
    expect(first.status).toBe(303);
    expect(c.cookies.has("tio_session")).toBe(true);
    const again = new WebClient(w.base);
    expect((await again.get(`/app/auth/link?token=${token}`)).status).toBe(400);
    const late = await w.h.app.service.createSignInLink(seed.ws, seed.ann, 15);
    w.h.clock.advance(16 * 60_000);
    expect((await new WebClient(w.base).get(`/app/auth/link?token=${late}`)).status).toBe(400);
  });
});

describe("the digest's coverage sparkline and the dashboard links", () => {
  it("draws shares as blocks, with a dot where there was nothing to measure", () => {
    expect(sparkline([0, 0.5, 1, null, 0.25])).toBe("▁▅█·▃");
    expect(sparkline([])).toBe("");
  });

  it("renders the trend with its link on Slack, Teams and in plain text, and leaves it out without data", () => {
    const input: DigestInput = {
      workspaceName: "Northwind",
      week: "2026-W46",
      now: new Date("2026-11-16T00:00:00Z"),
      settings: { digestTopN: 20, coverageDays: 90 },
      weekContacts: [],
      coverageContacts: [],
      lunchesPlanned: [],
      lunchesHeld: [],
      meetings: [],
      coverageTrend: [null, 0, 0.5, 1],
      dashboardUrl: "https://bot.example.com/app/",
    };
    const view = buildDigest(input);
    expect(view.fallbackText).toContain(
      "Last 4 weeks: ·▁▅█ · See the trend on the dashboard (https://bot.example.com/app/)",
    );
    const slack = JSON.stringify(digestBlocks(view));
    expect(slack).toContain("·▁▅█");
    expect(slack).toContain("<https://bot.example.com/app/|See the trend on the dashboard>");
    const teams = JSON.stringify(digestCard(view));
    expect(teams).toContain("·▁▅█");
    expect(teams).toContain("[See the trend on the dashboard](https://bot.example.com/app/)");
    expect(buildDigest({ ...input, coverageTrend: [null, null] }).fallbackText).not.toContain("Last 2 weeks");
    expect(buildDigest({ ...input, dashboardUrl: null }).fallbackText).not.toContain("dashboard");
  });
});
