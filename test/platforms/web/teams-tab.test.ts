import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeTeamsSsoToken } from "../../../src/devtools/fake-oidc.ts";
import { PROVIDERS } from "../../helpers/db.ts";
import { MS_CLIENT, startWebHarness, WebClient, type WebHarness } from "../../helpers/web.ts";

// The Teams tab's single sign-on on the real server: Teams' token for the tab (minted by the fake
// identity platform, checked against its JWKS) posted to /app/auth/teams-sso signs in the member
// with that tenant and object id, with a session cookie a third-party iframe keeps (SameSite=None;
// Secure; Partitioned, PUBLIC_URL being https); every way the token can be wrong is refused; the
// pages may be framed by Microsoft's hosts only; the forms' CSRF check still holds in the tab.

const PUBLIC = "https://tio.example";
const AUDIENCE = `api://tio.example/${MS_CLIENT.clientId}`;

describe.each(PROVIDERS)("Teams tab sign-in on %s", (provider) => {
  let w: WebHarness;
  beforeAll(async () => {
    w = await startWebHarness(provider, { microsoft: true, env: { PUBLIC_URL: PUBLIC } });
  });
  beforeEach(async () => {
    await w.h.reset();
    const contoso = await w.h.app.store.upsertWorkspace({
      platform: "teams",
      externalId: "tenant-1",
      name: "Contoso",
    });
    await w.h.app.service.member(contoso, {
      platformUserId: "29:dana",
      displayName: "Dana Teams",
      external: false,
      aadObjectId: "oid-dana",
    });
    const fabrikam = await w.h.app.store.upsertWorkspace({
      platform: "teams",
      externalId: "tenant-2",
      name: "Fabrikam",
    });
    await w.h.app.service.member(fabrikam, {
      platformUserId: "29:erin",
      displayName: "Erin Fabrikam",
      external: false,
      aadObjectId: "oid-erin",
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  const dana: FakeTeamsSsoToken = { tenantId: "tenant-1", objectId: "oid-dana", audience: AUDIENCE };

  async function exchange(c: WebClient, token: string, origin: string | null = PUBLIC) {
    const res = await c.request("/app/auth/teams-sso", {
      form: { token },
      headers: origin ? { origin } : {},
    });
    return { ...res, json: JSON.parse(res.text) as { ok: boolean; error?: string; to?: string } };
  }

  it("signs the tab in as the member with the token's tenant and object id", async () => {
    const c = new WebClient(w.base);
    const res = await exchange(c, await w.oidc.teamsSsoToken(dana));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, to: "/app/" });
    const cookie = res.headers.getSetCookie().find((x) => x.startsWith("tio_session=")) ?? "";
    for (const attr of ["Path=/app", "HttpOnly", "SameSite=None", "Secure", "Partitioned"])
      expect(cookie.split("; ")).toContain(attr);
    expect(cookie).not.toContain("SameSite=Lax");

    const overview = await c.get("/app/");
    expect(overview.status).toBe(200);
    expect(overview.text).toContain("Contoso");
    expect(overview.text).toContain("Dana Teams");
    expect(overview.text).not.toContain("Fabrikam");

    // A v1 token (sts form of the issuer, the api:// audience) and a v2.0 one for the app id.
    const v1 = new WebClient(w.base);
    expect((await exchange(v1, await w.oidc.teamsSsoToken({ ...dana, issuer: "v1" }))).status).toBe(200);
    const erin = new WebClient(w.base);
    const other = await exchange(
      erin,
      await w.oidc.teamsSsoToken({
        tenantId: "tenant-2",
        objectId: "oid-erin",
        audience: MS_CLIENT.clientId,
      }),
    );
    expect(other.status).toBe(200);
    expect((await erin.get("/app/")).text).toContain("Fabrikam");
  });

  it("keeps the forms' CSRF check in the tab: our origin and the session's token", async () => {
    const c = new WebClient(w.base);
    await exchange(c, await w.oidc.teamsSsoToken(dana));
    const me = await c.get("/app/me");
    expect(me.status).toBe(200);
    const csrf = WebClient.csrf(me.text);
    const fromTeams = await c.post(
      "/app/me/pause",
      { _csrf: csrf },
      { origin: "https://teams.microsoft.com" },
    );
    expect(fromTeams.status).toBe(403);
    const noToken = await c.post("/app/me/pause", { _csrf: "x".repeat(32) }, { origin: PUBLIC });
    expect(noToken.status).toBe(403);
    const ok = await c.post("/app/me/pause", { _csrf: csrf }, { origin: PUBLIC });
    expect(ok.status).toBe(303);
    expect(decodeURIComponent(ok.location ?? "")).toContain("/app/me?done=");

    // Signing out drops the tab's partitioned cookie too.
    const out = await c.post("/app/sign-out", { _csrf: csrf }, { origin: PUBLIC });
    expect(out.headers.getSetCookie().some((x) => /tio_session=;.*Max-Age=0.*Partitioned/.test(x))).toBe(
      true,
    );
  });

  it("refuses wrong tokens with 401, people and tenants it doesn't know with 403", async () => {
    const refused: Array<[string, FakeTeamsSsoToken, number]> = [
      ["wrong audience", { ...dana, audience: "api://elsewhere.example/other-app" }, 401],
      ["another app's id", { ...dana, audience: "11111111-0000-0000-0000-000000000000" }, 401],
      ["wrong issuer", { ...dana, issuer: "https://login.example.net/tenant-1/v2.0" }, 401],
      ["issuer of another tenant", { ...dana, issuer: `${w.oidc.url}/tenant-2/v2.0` }, 401],
      ["expired", { ...dana, expiresIn: -600 }, 401],
      ["forged signature", { ...dana, forged: true }, 401],
      ["no access_as_user scope", { ...dana, scope: "User.Read" }, 401],
      ["foreign tenant", { ...dana, tenantId: "tenant-9" }, 403],
      ["unknown member", { ...dana, objectId: "oid-nobody" }, 403],
      ["member of the other tenant", { ...dana, objectId: "oid-erin" }, 403],
    ];
    for (const [why, token, status] of refused) {
      const c = new WebClient(w.base);
      const res = await exchange(c, await w.oidc.teamsSsoToken(token));
      expect(res.status, why).toBe(status);
      expect(res.json.ok, why).toBe(false);
      expect(res.json.error, why).toMatch(
        status === 401 ? /didn't check out/ : /isn't installed|don't know you/,
      );
      expect(c.cookies.has("tio_session"), why).toBe(false);
    }
    const garbage = await exchange(new WebClient(w.base), "not-a-jwt-at-all");
    expect(garbage.status).toBe(401);
    const none = await exchange(new WebClient(w.base), "");
    expect(none.status).toBe(400);
  });

  it("accepts the token only from our own origin", async () => {
    const token = await w.oidc.teamsSsoToken(dana);
    for (const origin of [null, "https://evil.example", "https://teams.microsoft.com"]) {
      const c = new WebClient(w.base);
      const res = await exchange(c, token, origin);
      expect(res.status, String(origin)).toBe(403);
      expect(c.cookies.has("tio_session")).toBe(false);
    }
  });

  it("serves the tab page with its bundled teams-js script, framable by Microsoft's hosts only", async () => {
    const c = new WebClient(w.base);
    const tab = await c.get("/app/teams");
    expect(tab.status).toBe(200);
    expect(tab.text).toContain('<script src="/app/assets/teams.js" defer></script>');
    expect(tab.text).not.toContain("dashboard.js");
    const csp = tab.headers.get("content-security-policy") ?? "";
    const ancestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1]?.split(" ") ?? [];
    expect(ancestors).toEqual(
      expect.arrayContaining([
        "https://teams.microsoft.com",
        "https://*.teams.microsoft.com",
        "https://*.cloud.microsoft",
        "https://*.office.com",
        "https://outlook.office.com",
        "https://outlook.office365.com",
      ]),
    );
    expect(ancestors.every((a) => a.startsWith("https://"))).toBe(true);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    // The rest of the dashboard (where the tab goes next) is framed by the same hosts.
    expect((await c.get("/app/sign-in")).headers.get("content-security-policy")).toBe(csp);

    const script = await c.get("/app/assets/teams.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toContain("text/javascript");
    expect(script.text).toContain("authentication.getAuthToken");
    expect(script.text).toContain("/auth/teams-sso");
    // The dashboard's own script doesn't carry teams-js.
    expect((await c.get("/app/assets/dashboard.js")).text).not.toContain("authentication.getAuthToken");
  });

  /** Follows redirects like WebClient.follow, our PUBLIC_URL's host being this server. */
  async function follow(c: WebClient, path: string) {
    let res = await c.get(path);
    for (let i = 0; i < 8 && res.location; i++)
      res = await c.get(new URL(res.location, w.base).toString().replace(PUBLIC, w.base));
    return res;
  }

  it("ends the pop-up fallback's Microsoft sign-in with a one-time token the tab redeems", async () => {
    w.oidc.microsoftUser = { tenantId: "tenant-1", objectId: "oid-dana" };
    const popup = new WebClient(w.base);
    const end = await follow(popup, "/app/auth/microsoft?tab=1");
    expect(end.status).toBe(200);
    expect(end.text).toContain('<script src="/app/assets/teams.js" defer></script>');
    // The pop-up gets no session of its own: the tab's frame couldn't use it.
    expect(popup.cookies.has("tio_session")).toBe(false);
    const token = /id="tab-result">\{"token":"([A-Za-z0-9_-]+)"\}/.exec(end.text)?.[1] ?? "";
    expect(token.length).toBeGreaterThan(20);

    const tab = new WebClient(w.base);
    const redeemed = await tab.get(`/app/auth/link?tab=1&token=${token}`);
    expect(redeemed.status).toBe(303);
    const cookie = redeemed.headers.getSetCookie().find((x) => x.startsWith("tio_session=")) ?? "";
    expect(cookie.split("; ")).toEqual(expect.arrayContaining(["SameSite=None", "Secure", "Partitioned"]));
    expect((await tab.get("/app/")).text).toContain("Dana Teams");
    // Once only.
    expect((await new WebClient(w.base).get(`/app/auth/link?tab=1&token=${token}`)).status).toBe(400);
    // A sign-in not started by the tab ends as before: a plain session, no token.
    const browser = new WebClient(w.base);
    const plain = await follow(browser, "/app/auth/microsoft");
    expect(plain.text).not.toContain("tab-result");
    expect(browser.cookies.has("tio_session")).toBe(true);
  });
});

// TEAMS_ADMIN_IDS names admins by Teams user id or by Entra object id (the one an admin finds in the
// Azure portal); the dashboard's session knows a member by the former only.
describe.each(PROVIDERS)("Teams admins named in TEAMS_ADMIN_IDS, in the tab, on %s", (provider) => {
  let w: WebHarness;
  beforeAll(async () => {
    w = await startWebHarness(provider, {
      microsoft: true,
      env: { PUBLIC_URL: PUBLIC, TEAMS_ADMIN_IDS: "oid-dana, 29:gil, oid-of-nobody" },
    });
    const contoso = await w.h.app.store.upsertWorkspace({
      platform: "teams",
      externalId: "tenant-1",
      name: "Contoso",
    });
    for (const [id, name, oid] of [
      ["29:dana", "Dana Teams", "oid-dana"],
      ["29:gil", "Gil Teams", "oid-gil"],
      ["29:hal", "Hal Teams", "oid-hal"],
    ] as const)
      await w.h.app.service.member(contoso, {
        platformUserId: id,
        displayName: name,
        external: false,
        aadObjectId: oid,
      });
  });
  afterAll(async () => {
    await w?.close();
  });

  const signedIn = async (objectId: string) => {
    const c = new WebClient(w.base);
    const res = await c.request("/app/auth/teams-sso", {
      form: { token: await w.oidc.teamsSsoToken({ tenantId: "tenant-1", objectId, audience: AUDIENCE }) },
      headers: { origin: PUBLIC },
    });
    expect(res.status).toBe(200);
    return c;
  };

  it("by Entra object id or by Teams user id: admin pages open; anyone else gets 403", async () => {
    for (const [oid, admin] of [
      ["oid-dana", true],
      ["oid-gil", true],
      ["oid-hal", false],
    ] as const) {
      const c = await signedIn(oid);
      for (const page of ["/app/contacts", "/app/settings"])
        expect((await c.get(page)).status, `${oid} ${page}`).toBe(admin ? 200 : 403);
      expect((await c.get("/app/")).text.includes('href="/app/contacts"'), oid).toBe(admin);
      // "My data" says the same.
      expect(JSON.parse((await c.get("/app/me.json")).text).you.admin, oid).toBe(admin);
    }
  });
});
