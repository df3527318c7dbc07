// The calendar use cases on the in-memory store, with the real Google client against the fake
// Google: what connecting says when it can't work (not configured, no PUBLIC_URL, turned off), the
// OAuth state (expiry, provider, denial), the configuration, and the command grammar.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Calendars, CONNECT_STATE_TTL_MS } from "../../src/app/calendars.ts";
import { OfflineService } from "../../src/app/service.ts";
import { configuredProviders, createCalendars } from "../../src/calendars/index.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { parseCommand } from "../../src/core/commands.ts";
import { fixedClock } from "../../src/core/ports.ts";
import type { Member, Workspace } from "../../src/core/types.ts";
import { startFakeCalendars } from "../../src/devtools/fake-calendars.ts";
import { FakeGoogle } from "../../src/devtools/fake-google.ts";
import { createLogger } from "../../src/log.ts";
import { TokenCipher } from "../../src/store/crypto.ts";
import { MemoryStore } from "../../src/store/memory/index.ts";

const KEY = "c".repeat(64);
const NOW = "2026-11-18T15:00:00Z";
const log = createLogger("silent");
const sealer = (key: Buffer) => new TokenCipher(key);

describe("calendar use cases", () => {
  let google: FakeGoogle;
  beforeAll(async () => {
    google = await FakeGoogle.start({ clientId: "g", clientSecret: "s" });
    google.addAccount("ann@acme.example");
  });
  afterAll(async () => {
    await google?.close();
  });

  async function setup(env: Record<string, string> = {}) {
    const store = new MemoryStore();
    const clock = fixedClock(NOW);
    const config = loadConfig({
      TOKEN_ENCRYPTION_KEY: KEY,
      PUBLIC_URL: "https://bot.example.test",
      GOOGLE_CLIENT_ID: "g",
      GOOGLE_CLIENT_SECRET: "s",
      GOOGLE_OAUTH_URL: google.url,
      GOOGLE_API_URL: google.url,
      ...env,
    });
    const calendars = await createCalendars(config, { store, clock, log, sealer });
    const service = new OfflineService(store, clock, calendars ? { calendars } : {});
    const ws = await store.upsertWorkspace({ platform: "slack", externalId: "T1", name: "Acme" });
    const ann = await store.upsertMember(ws.id, { platformUserId: "UANN", displayName: "Ann" });
    const run = async (text: string, member: Member = ann, workspace: Workspace = ws) => {
      const reply = await service.execute(workspace, member, parseCommand(text), { isAdmin: false });
      return JSON.stringify(reply);
    };
    return { store, clock, calendars, service, ws, ann, run };
  }

  /** Follows a consent link like a browser would; returns the callback's query. */
  async function consent(
    url: string,
  ): Promise<{ state: string | null; code: string | null; error: string | null }> {
    const res = await fetch(url, { redirect: "manual" });
    const back = new URL(res.headers.get("location") ?? "");
    const q = (k: string) => back.searchParams.get(k);
    return { state: q("state"), code: q("code"), error: q("error") };
  }

  it("says plainly when calendars aren't configured, or can't be connected yet", async () => {
    const none = await setup({ GOOGLE_CLIENT_ID: "", GOOGLE_CLIENT_SECRET: "" });
    expect(none.calendars).toBeNull();
    expect(await none.run("connect calendar")).toContain("Calendars aren't configured");
    expect(await none.run("disconnect calendar")).toContain("no calendar connected");

    // Credentials but no key to seal tokens with: calendars stay off.
    const noKey = await setup({ TOKEN_ENCRYPTION_KEY: "" });
    expect(noKey.calendars).toBeNull();

    const noUrl = await setup({ PUBLIC_URL: "" });
    expect(noUrl.calendars).toBeInstanceOf(Calendars);
    expect(await noUrl.run("connect calendar")).toContain("PUBLIC_URL");

    const ok = await setup();
    expect(await ok.run("connect calendar microsoft")).toContain("You can connect: Google");
    const reply = await ok.run("connect calendar");
    expect(reply).toContain("Connect Google calendar");
    expect(reply).toContain(`${google.url}/o/oauth2/v2/auth?`);
  });

  it("the consent link: expires, is bound to its provider, and a refusal stores nothing", async () => {
    const { calendars, clock, ws, ann, store } = await setup();
    if (!calendars) throw new Error("calendars");
    const link = () => {
      const r = calendars.connect(ws, ann, "google");
      if (!r.ok) throw new Error(r.reason);
      return r.links[0]?.url ?? "";
    };
    const url = new URL(link());
    expect(url.searchParams.get("redirect_uri")).toBe("https://bot.example.test/calendar/oauth/google");
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("scope")).toContain("calendar.freebusy");

    // Too late.
    const late = await consent(url.toString());
    clock.advance(CONNECT_STATE_TTL_MS + 1000);
    expect(await calendars.complete("google", late)).toMatchObject({ ok: false, reason: "expired" });
    clock.set(NOW);

    // A Google state on the Microsoft callback.
    const other = await consent(link());
    expect(await calendars.complete("microsoft", other)).toMatchObject({ ok: false, reason: "bad-state" });

    // The person said no.
    const denied = await consent(`${link()}&deny=1`);
    expect(denied.error).toBe("access_denied");
    expect(await calendars.complete("google", denied)).toMatchObject({ ok: false, reason: "denied" });
    expect(await store.countCalendarGrants()).toBe(0);

    // And yes: connected, for this member only.
    const yes = await consent(link());
    expect(await calendars.complete("google", yes)).toMatchObject({
      ok: true,
      accountEmail: "ann@acme.example",
    });
    expect(await calendars.status(ws, ann)).toEqual({ provider: "google", accountEmail: "ann@acme.example" });
  });

  it("an admin turning calendars off stops connecting", async () => {
    const { run, store, ws, ann, service } = await setup();
    const off = await service.saveSettings(ws, { settings: { ...ws.settings, calendarsEnabled: false } });
    expect(off.settings.calendarsEnabled).toBe(false);
    const member = (await store.getMemberById(ws.id, ann.id)) as Member;
    expect(await run("connect calendar", member, off)).toContain("turned off");
  });
});

describe("calendar configuration", () => {
  it("needs both halves of a client, and a base URL for PUBLIC_URL", () => {
    expect(() => loadConfig({ GOOGLE_CLIENT_ID: "x" })).toThrow(ConfigError);
    expect(() => loadConfig({ MICROSOFT_GRAPH_CLIENT_SECRET: "x" })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: "bot.example.com" })).toThrow(/PUBLIC_URL/);
    expect(loadConfig({ PUBLIC_URL: "https://bot.example.com" }).PUBLIC_URL).toBe("https://bot.example.com");
  });

  it("Microsoft falls back to the bot's own app, in its tenant when single-tenant", async () => {
    expect((await configuredProviders(loadConfig({}))).map((p) => p.id)).toEqual([]);
    const bot = await configuredProviders(
      loadConfig({
        MICROSOFT_APP_ID: "app",
        MICROSOFT_APP_PASSWORD: "pw",
        MICROSOFT_APP_TYPE: "SingleTenant",
        MICROSOFT_APP_TENANT_ID: "tid",
      }),
    );
    expect(bot.map((p) => p.id)).toEqual(["microsoft"]);
    const url = new URL(bot[0]?.authorizationUrl("s", "https://x/cb") ?? "");
    expect(url.pathname).toBe("/tid/oauth2/v2.0/authorize");
    expect(url.searchParams.get("client_id")).toBe("app");
    expect(url.searchParams.get("scope")).toContain("offline_access");
    const own = await configuredProviders(
      loadConfig({
        MICROSOFT_APP_ID: "app",
        MICROSOFT_APP_PASSWORD: "pw",
        MICROSOFT_GRAPH_CLIENT_ID: "graph",
        MICROSOFT_GRAPH_CLIENT_SECRET: "gs",
      }),
    );
    expect(new URL(own[0]?.authorizationUrl("s", "https://x/cb") ?? "").searchParams.get("client_id")).toBe(
      "graph",
    );
  });
});

describe("calendar commands", () => {
  it.each([
    ["connect calendar", { kind: "calendar", action: "connect", provider: null }],
    ["connect calendar google", { kind: "calendar", action: "connect", provider: "google" }],
    ["connect google calendar", { kind: "calendar", action: "connect", provider: "google" }],
    ["connect calendar outlook", { kind: "calendar", action: "connect", provider: "microsoft" }],
    ["Connect Calendar Microsoft", { kind: "calendar", action: "connect", provider: "microsoft" }],
    ["disconnect calendar", { kind: "calendar", action: "disconnect", provider: null }],
    ["disconnect my calendar", { kind: "calendar", action: "disconnect", provider: null }],
  ])("%s", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    "connect",
    "connect slack",
    "connect calendar yahoo",
    "disconnect",
    "connect calendar google microsoft",
  ])("%s is an error with the usage", (text) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe("error");
    expect(JSON.stringify(parsed)).toContain("calendar");
  });
});

describe("startFakeCalendars (for the demo)", () => {
  it("points an app at both fakes and connects members through the real flow", async () => {
    const fakes = await startFakeCalendars();
    try {
      const store = new MemoryStore();
      const clock = fixedClock(NOW);
      const calendars = await createCalendars(loadConfig(fakes.env), { store, clock, log, sealer });
      if (!calendars) throw new Error("calendars off");
      expect(calendars.providers()).toEqual(["google", "microsoft"]);
      const ws = await store.upsertWorkspace({ platform: "slack", externalId: "T9", name: "Demo" });
      const ann = await store.upsertMember(ws.id, { platformUserId: "UANN", displayName: "Ann" });
      const bo = await store.upsertMember(ws.id, { platformUserId: "UBO", displayName: "Bo" });
      const busy = [{ start: new Date("2026-11-19T12:00:00Z"), end: new Date("2026-11-19T13:00:00Z") }];
      await fakes.connect(calendars, ws, ann, { provider: "google", email: "ann@demo.example", busy });
      await fakes.connect(calendars, ws, bo, { provider: "microsoft", email: "bo@demo.example", busy });
      for (const m of [ann, bo]) {
        const cal = await calendars.forMember(ws, m);
        const got = await cal?.busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"));
        expect(got?.map((b) => b.start.toISOString())).toEqual(["2026-11-19T12:00:00.000Z"]);
      }
    } finally {
      await fakes.close();
    }
  });
});
