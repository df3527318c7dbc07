import { createRequire } from "node:module";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_BODY_BYTES } from "../../src/http-body.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { deeplyNested, type EdgeHarness, type RawResult, startEdgeHarness } from "../helpers/edge-harness.ts";
import { activities, BOT } from "../helpers/fake-bot-connector.ts";
import {
  blockAction,
  commandFields,
  eventEnvelope,
  newEventId,
  slackTs,
  TEAM_ID,
} from "../helpers/slack-signing.ts";

// Correctly signed (or, for Teams, correctly addressed) requests whose bodies are wrong: every one
// is answered with a 2xx/4xx within Bolt's 3-second ack window, none with a 5xx, none hangs, none
// writes a row, none logs an error. Then bodies over the size limit, on every path.

const CHANNEL = "C0SALES";
const FORM = "application/x-www-form-urlencoded";
const at = "2026-11-18T14:00:00Z";

const message = (extra: Record<string, unknown> = {}) => ({
  type: "message",
  channel: CHANNEL,
  channel_type: "channel",
  user: "UBO",
  text: "lunch with <@UEXT>?",
  ts: slackTs(at, 1),
  ...extra,
});
const envelope = (event: unknown, extra: Record<string, unknown> = {}) => ({
  ...eventEnvelope({}, { teamId: TEAM_ID, eventId: newEventId() }),
  event,
  ...extra,
});
const payload = (p: unknown) => new URLSearchParams({ payload: JSON.stringify(p) }).toString();
const command = (over: Record<string, string | undefined>) => {
  const fields: Record<string, string> = {
    ...commandFields({
      teamId: TEAM_ID,
      userId: "UANN",
      text: "help",
      responseUrl: "https://hooks.slack.invalid/x",
    }),
  };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete fields[k];
    else fields[k] = v;
  }
  return new URLSearchParams(fields).toString();
};

/** [name, raw body, content type, expected status]: what a signed request with each body gets. */
const SLACK_CASES: Array<[string, string, string, number]> = [
  ["JSON null", "null", "application/json", 400],
  ["JSON string", '"event_callback"', "application/json", 400],
  ["JSON number", "42", "application/json", 400],
  ["JSON array", "[]", "application/json", 400],
  ["empty object", "{}", "application/json", 400],
  ["not JSON", "{not json", "application/json", 400],
  ["empty body", "", "application/json", 400],
  ["deeply nested", deeplyNested(5000), "application/json", 400],
  ["event is a string", JSON.stringify(envelope("message")), "application/json", 200],
  ["event is a number", JSON.stringify(envelope(7)), "application/json", 200],
  ["event is null", JSON.stringify(envelope(null)), "application/json", 200],
  ["event is an array", JSON.stringify(envelope([message()])), "application/json", 200],
  ["event type is a number", JSON.stringify(envelope(message({ type: 5 }))), "application/json", 200],
  ["event user is null", JSON.stringify(envelope(message({ user: null }))), "application/json", 200],
  ["event channel is a number", JSON.stringify(envelope(message({ channel: 5 }))), "application/json", 200],
  [
    "event item is a string",
    JSON.stringify(envelope({ type: "reaction_added", item: "x" })),
    "application/json",
    200,
  ],
  [
    "event subteam is null",
    JSON.stringify(envelope({ type: "subteam_created", subteam: null })),
    "application/json",
    200,
  ],
  [
    "message ts not a number",
    JSON.stringify(envelope(message({ ts: "yesterday" }))),
    "application/json",
    200,
  ],
  ["message ts huge", JSON.stringify(envelope(message({ ts: "9".repeat(400) }))), "application/json", 200],
  [
    "message text is an object",
    JSON.stringify(envelope(message({ text: { a: 1 } }))),
    "application/json",
    200,
  ],
  [
    "authorizations [null]",
    JSON.stringify(envelope(message(), { authorizations: [null] })),
    "application/json",
    200,
  ],
  ["no event_id", JSON.stringify(envelope(message(), { event_id: undefined })), "application/json", 200],
  ["event_id is a number", JSON.stringify(envelope(message(), { event_id: 12 })), "application/json", 200],
  [
    "type not event_callback",
    JSON.stringify(envelope(message(), { type: "event" })),
    "application/json",
    200,
  ],
  [
    "function_executed",
    JSON.stringify(envelope({ type: "function_executed", function_execution_id: "F" })),
    "application/json",
    200,
  ],
  ["unknown top-level type", JSON.stringify({ type: "surprise" }), "application/json", 400],
  [
    "url_verification without challenge",
    JSON.stringify({ type: "url_verification" }),
    "application/json",
    200,
  ],
  ["form without fields", "", FORM, 400],
  ["form: repeated payload", "payload=1&payload=2", FORM, 400],
  ["payload not JSON", "payload=%7Bnope", FORM, 400],
  ["payload null", payload(null), FORM, 400],
  ["payload array", payload([1, 2]), FORM, 400],
  ["payload string", payload("block_actions"), FORM, 400],
  ["payload unknown type", payload({ type: "mystery", user: { id: "UANN" } }), FORM, 400],
  [
    "block_actions without user",
    payload({ ...blockAction({ userId: "UANN", actionId: "home_pause", value: "x" }), user: undefined }),
    FORM,
    400,
  ],
  [
    "block_actions user null",
    payload({ ...blockAction({ userId: "UANN", actionId: "home_pause", value: "x" }), user: null }),
    FORM,
    400,
  ],
  [
    "block_actions team is a number",
    payload({ ...blockAction({ userId: "UANN", actionId: "home_pause", value: "x" }), team: 5 }),
    FORM,
    400,
  ],
  [
    "block_actions actions a string",
    payload({ ...blockAction({ userId: "UANN", actionId: "home_pause", value: "x" }), actions: "x" }),
    FORM,
    400,
  ],
  [
    "block_actions no actions",
    payload({ ...blockAction({ userId: "UANN", actionId: "home_pause", value: "x" }), actions: [] }),
    FORM,
    400,
  ],
  [
    "block_actions [null]",
    payload({ ...blockAction({ userId: "UANN", actionId: "home_pause", value: "x" }), actions: [null] }),
    FORM,
    400,
  ],
  [
    "block_actions 5,000 actions",
    payload({
      ...blockAction({ userId: "UANN", actionId: "home_pause", value: "x" }),
      actions: Array.from({ length: 5000 }, () => ({ action_id: "home_pause", value: "x" })),
    }),
    FORM,
    400,
  ],
  [
    "block_actions unknown action_id (a link button)",
    payload(
      blockAction({ userId: "UANN", actionId: "open_link", value: "x", view: { id: "V1", type: "home" } }),
    ),
    FORM,
    200,
  ],
  [
    "block_actions with a name (options route)",
    payload({ ...blockAction({ userId: "UANN", actionId: "home_pause", value: "x" }), name: "x" }),
    FORM,
    400,
  ],
  [
    "interactive_message",
    payload({
      type: "interactive_message",
      actions: [{ name: "a" }],
      callback_id: "c",
      user: { id: "UANN" },
    }),
    FORM,
    400,
  ],
  [
    "dialog_submission",
    payload({ type: "dialog_submission", user: { id: "UANN" }, submission: {} }),
    FORM,
    400,
  ],
  ["block_suggestion", payload({ type: "block_suggestion", user: { id: "UANN" }, value: "a" }), FORM, 400],
  [
    "shortcut",
    payload({ type: "shortcut", callback_id: "x", user: { id: "UANN" }, team: { id: TEAM_ID } }),
    FORM,
    400,
  ],
  ["message_action", payload({ type: "message_action", callback_id: "x", user: { id: "UANN" } }), FORM, 400],
  ["view_submission without view", payload({ type: "view_submission", user: { id: "UANN" } }), FORM, 400],
  [
    "view_submission view null",
    payload({ type: "view_submission", user: { id: "UANN" }, view: null }),
    FORM,
    400,
  ],
  [
    "view_submission state null",
    payload({
      type: "view_submission",
      user: { id: "UANN" },
      view: { callback_id: "lunch_plan", state: null },
    }),
    FORM,
    400,
  ],
  [
    "view_submission unknown callback",
    payload({
      type: "view_submission",
      user: { id: "UANN" },
      view: { callback_id: "other", state: { values: {} } },
    }),
    FORM,
    400,
  ],
  [
    "view_submission response_urls null",
    payload({
      type: "view_submission",
      user: { id: "UANN" },
      response_urls: null,
      view: { callback_id: "lunch_plan", state: { values: {} } },
    }),
    FORM,
    400,
  ],
  [
    "view_closed",
    payload({ type: "view_closed", user: { id: "UANN" }, view: { callback_id: "lunch_plan" } }),
    FORM,
    200,
  ],
  ["command without response_url", command({ response_url: undefined }), FORM, 400],
  ["command with a bad response_url", command({ response_url: "javascript:alert(1)" }), FORM, 400],
  ["command without user_id", command({ user_id: undefined }), FORM, 400],
  ["command without team_id", command({ team_id: undefined }), FORM, 400],
  ["another command", command({ command: "/other" }), FORM, 400],
  ["command repeated", `${command({})}&command=%2Foffline`, FORM, 400],
];

describe.each(PROVIDERS)("malformed bodies on %s", (provider) => {
  let h: EdgeHarness;
  beforeAll(async () => {
    h = await startEdgeHarness(provider);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("answers every signed but malformed Slack body with its 2xx/4xx at once, storing nothing", async () => {
    await h.slack.reset();
    h.lines.length = 0;
    const results: Array<{ name: string; status: number; ms: number }> = [];
    for (const [name, text, contentType] of SLACK_CASES) {
      const res = await h.signedRaw(text, { contentType });
      results.push({ name, status: res.status, ms: Math.round(res.ms) });
    }
    await h.slack.settle();
    expect(results.map((r) => [r.name, r.status])).toEqual(
      SLACK_CASES.map(([name, , , status]) => [name, status]),
    );
    // (What no listener acknowledges, Bolt answers 404 after 3 s: the exact statuses above rule that out.)
    expect(await h.rows()).toMatchObject({ processedEvents: 0, mentions: 0, contacts: 0 });
    expect(h.slack.fake.calls.filter((c) => c.method !== "auth.test" && c.method !== "users.list")).toEqual(
      [],
    );
    expect(h.lines.filter((l) => l.level === "error")).toEqual([]);
    // The server is still there, and a good event after the junk is processed.
    expect((await h.request({ path: "/healthz" })).status).toBe(200);
    expect((await h.slack.event(message({ ts: slackTs(at, 2) }))).status).toBe(200);
    await h.slack.settle();
    expect((await h.rows()).mentions).toBe(1);
  });

  it("answers Teams junk with 400 (auth off), never 500, and an invoke nobody handles with 200", async () => {
    h.lines.length = 0;
    const good = activities.personalMessage(h.world, { id: "29:ann", name: "Ann" }, "help");
    const cases: Array<[string, unknown, number]> = [
      ["no type", { text: "hi" }, 400],
      ["null", "null", 400],
      ["array", "[]", 400],
      ["string", '"message"', 400],
      ["not JSON", "{", 400],
      ["empty", "", 400],
      ["deeply nested", deeplyNested(5000), 400],
      ["type is a number", { ...good, type: 5 }, 400],
      ["no serviceUrl", { ...good, serviceUrl: undefined }, 400],
      ["serviceUrl not a URL", { ...good, serviceUrl: "not a url" }, 400],
      ["serviceUrl file:", { ...good, serviceUrl: "file:///etc/passwd" }, 400],
      ["from null", { ...good, from: null }, 400],
      ["recipient a string", { ...good, recipient: BOT.id }, 400],
      ["conversation without id", { ...good, conversation: {} }, 400],
      ["entities an object", { ...good, entities: { a: 1 } }, 400],
      ["membersAdded of strings", { ...good, type: "conversationUpdate", membersAdded: ["x"] }, 400],
      ["text 200,000 chars", { ...good, text: "x".repeat(200_000) }, 400],
      ["invoke", { ...good, type: "invoke", name: "composeExtension/query", value: {} }, 200],
      ["typing", { ...good, type: "typing" }, 200],
    ];
    const results: Array<[string, number]> = [];
    for (const [name, body] of cases) results.push([name, (await h.teams(body)).status]);
    expect(results).toEqual(cases.map(([name, , status]) => [name, status]));
    expect(h.lines.filter((l) => l.level === "error")).toEqual([]);
    expect(h.connector.calls).toEqual([]);
  });

  it("refuses a body over the limit on every path with 413, and takes one just under it", async () => {
    const paths = [
      ["POST", "/slack/events"],
      ["POST", "/api/messages"],
      ["GET", "/slack/install"],
      ["GET", "/slack/oauth_redirect"],
      ["GET", "/healthz"],
      ["POST", "/healthz"],
      ["POST", "/no/such/path"],
    ] as const;
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    for (const [method, path] of paths) {
      const res = await h.request({
        method,
        path,
        body: big,
        headers: { "content-type": "application/json" },
      });
      expect([path, res.status]).toEqual([path, 413]);
    }
    // Declared far larger than what is sent: refused before any of it is read.
    const lying = await h
      .request({
        method: "POST",
        path: "/slack/events",
        headers: { "content-length": String(50 * MAX_BODY_BYTES) },
        body: "{}",
        timeoutMs: 3000,
      })
      .catch((err: Error) => err);
    expect(lying).toMatchObject({ status: 413 });
    // Chunked, with no length: counted as it arrives.
    for (const path of ["/slack/events", "/api/messages"]) {
      const res = await h.request({
        method: "POST",
        path,
        headers: { "content-type": "application/json" },
        body: { chunks: 64, chunkBytes: 64 * 1024 },
      });
      expect([path, res.status]).toEqual([path, 413]);
    }

    // Just under the limit: a signed Slack event (padded with an attachment) and a Teams activity.
    await h.slack.reset();
    const event = envelope(message({ ts: slackTs(at, 3), attachments: [{ fallback: "" }] }));
    const bare = JSON.stringify(event).length;
    (event.event as { attachments: Array<{ fallback: string }> }).attachments[0]!.fallback = "p".repeat(
      MAX_BODY_BYTES - bare - 16,
    );
    const text = JSON.stringify(event);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_BODY_BYTES - 100);
    expect((await h.signedRaw(text)).status).toBe(200);
    await h.slack.settle();
    expect((await h.rows()).mentions).toBe(1);

    const activity = activities.personalMessage(h.world, { id: "29:ann", name: "Ann" }, "help");
    const padded = { ...activity, channelData: { ...(activity.channelData as object), pad: "" } };
    padded.channelData.pad = "p".repeat(MAX_BODY_BYTES - JSON.stringify(padded).length - 16);
    const res: RawResult = await h.teams(padded);
    expect(res.status).toBe(200);
    expect((await h.request({ path: "/healthz" })).status).toBe(200);
  });
});

describe.each(PROVIDERS)("Teams with authentication on %s", (provider) => {
  let h: EdgeHarness;
  const APP_ID = "00000000-0000-0000-0000-00000000b07a";
  beforeAll(async () => {
    h = await startEdgeHarness(provider, { teamsAppId: APP_ID });
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const jwt = (head: object, claims: object) =>
    `Bearer ${Buffer.from(JSON.stringify(head)).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;
  const exp = () => Math.floor(Date.now() / 1000) + 3600;

  it("answers unauthenticated junk with 401 at once, with no network call and no error line", async () => {
    // botbuilder fetches signing keys with node-fetch, which calls the CommonJS https module.
    const https = createRequire(import.meta.url)("node:https") as typeof import("node:https");
    const outbound = [vi.spyOn(https, "request"), vi.spyOn(https, "get")];
    h.lines.length = 0;
    const install = activities.teamInstall(h.world, { id: "29:ann", name: "Ann" });
    const headers: Array<[string, Record<string, string>]> = [
      ["absent", {}],
      ["empty", { authorization: "" }],
      ["garbage bearer", { authorization: "Bearer garbage" }],
      ["not.a.jwt", { authorization: "Bearer not.a.jwt" }],
      ["basic", { authorization: "Basic YWxhZGRpbjpvcGVu" }],
      ["bearer, no token", { authorization: "Bearer " }],
      [
        "alg none",
        {
          authorization: jwt(
            { alg: "none", kid: "k" },
            { aud: APP_ID, exp: exp(), iss: "https://api.botframework.com" },
          ),
        },
      ],
      [
        "no kid",
        {
          authorization: jwt(
            { alg: "RS256" },
            { aud: APP_ID, exp: exp(), iss: "https://api.botframework.com" },
          ),
        },
      ],
      [
        "other audience",
        {
          authorization: jwt(
            { alg: "RS256", kid: "k" },
            { aud: "someone-else", exp: exp(), iss: "https://api.botframework.com" },
          ),
        },
      ],
      [
        "expired",
        {
          authorization: jwt(
            { alg: "RS256", kid: "k" },
            { aud: APP_ID, exp: 1_000_000, iss: "https://api.botframework.com" },
          ),
        },
      ],
      ["long header", { authorization: `Bearer ${"a".repeat(15_000)}.b.c` }],
    ];
    const bodies: Array<[string, unknown]> = [
      ["activity", install],
      ["no type", { text: "hi" }],
      ["null", "null"],
      ["not JSON", "{"],
    ];
    const results: Array<[string, number]> = [];
    for (const [hName, hdrs] of headers)
      for (const [bName, body] of bodies) {
        const res = await h.teams(body, hdrs);
        results.push([`${hName} / ${bName}`, res.status]);
      }
    expect(results.filter(([, s]) => s !== 401)).toEqual([]);
    for (const spy of outbound) expect(spy).not.toHaveBeenCalled();
    expect(h.lines.filter((l) => l.level === "error" || l.level === "warn")).toEqual([]);
    expect(await h.rows()).toMatchObject({ processedEvents: 0 });
    expect(await h.slack.app.store.findWorkspace("teams", h.world.tenantId)).toBeNull();
    expect(h.connector.calls).toEqual([]);
    console.info(`teams: 0 of ${results.length} unauthenticated requests accepted, 0 answered 5xx`);
  });
});

describe.each(PROVIDERS)("Slack OAuth pages with junk on %s", (provider) => {
  let h: EdgeHarness;
  beforeAll(async () => {
    h = await startEdgeHarness(provider, {
      env: {
        SLACK_BOT_TOKEN: "",
        SLACK_CLIENT_ID: "client-id-123",
        SLACK_CLIENT_SECRET: "client-secret-456",
        SLACK_STATE_SECRET: "state-secret-789",
        TOKEN_ENCRYPTION_KEY: "a".repeat(64),
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("answers forged or broken OAuth redirects with 4xx and no error line, installing nothing", async () => {
    h.lines.length = 0;
    const queries = [
      "",
      "?code=",
      "?state=x",
      "?code=a&state=b",
      "?code=a&code=b&state=s&state=t",
      "?error=access_denied",
      "?error=x&state=y",
      `?code=${"a".repeat(6000)}&state=b`,
      "?code=%ZZ&state=%",
      "?state[]=1&code[]=2",
    ];
    const results: Array<[string, number]> = [];
    for (const q of queries) {
      for (const cookie of [undefined, "slack-app-oauth-state=forged"]) {
        const res = await h.request({
          path: `/slack/oauth_redirect${q}`,
          ...(cookie ? { headers: { cookie } } : {}),
        });
        results.push([`${q.slice(0, 30)} ${cookie ?? ""}`, res.status]);
      }
      results.push([`install${q.slice(0, 30)}`, (await h.request({ path: `/slack/install${q}` })).status]);
    }
    expect(results.filter(([, s]) => s >= 500)).toEqual([]);
    expect(results.filter(([name, s]) => !name.startsWith("install") && s !== 400)).toEqual([]);
    expect(h.lines.filter((l) => l.level === "error")).toEqual([]);
    expect(await h.slack.app.database.db.installation.count()).toBe(0);
  });
});
