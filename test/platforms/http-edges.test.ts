import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { nestsDeeperThan } from "../../src/http-body.ts";
import { checkSignature, MAX_CLOCK_SKEW_S, routeSlackBody } from "../../src/platforms/slack/edge.ts";
import { authFailureStatus, checkBearer } from "../../src/platforms/teams/edge.ts";
import { slackSignature } from "../helpers/slack-signing.ts";

// The HTTP edges' pure checks (the adversarial suite drives them over HTTP; these pin the edges
// of each rule).

const SECRET = "s3cret";
const NOW_MS = 1_800_000_000_000;
const NOW_S = NOW_MS / 1000;

function headers(ts: number | string, body: string, secret = SECRET) {
  return {
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": slackSignature(secret, Number(ts), body),
  };
}

describe("checkSignature", () => {
  const body = '{"type":"event_callback"}';
  it("accepts a signature within five minutes either way, and refuses one second beyond", () => {
    for (const skew of [0, -MAX_CLOCK_SKEW_S, MAX_CLOCK_SKEW_S])
      expect(checkSignature(SECRET, headers(NOW_S + skew, body), Buffer.from(body), NOW_MS)).toEqual({
        ok: true,
      });
    for (const skew of [-MAX_CLOCK_SKEW_S - 1, MAX_CLOCK_SKEW_S + 1, 3600])
      expect(checkSignature(SECRET, headers(NOW_S + skew, body), Buffer.from(body), NOW_MS)).toEqual({
        ok: false,
        reason: "timestamp outside the replay window",
      });
  });

  it("signs the raw bytes: a body that differs in one byte, or in invalid UTF-8, is refused", () => {
    const raw = Buffer.from([0x7b, 0xff, 0x7d]);
    const good = {
      "x-slack-request-timestamp": String(NOW_S),
      "x-slack-signature": `v0=${createHmac("sha256", SECRET).update(`v0:${NOW_S}:`).update(raw).digest("hex")}`,
    };
    expect(checkSignature(SECRET, good, raw, NOW_MS).ok).toBe(true);
    expect(checkSignature(SECRET, good, Buffer.from([0x7b, 0xfe, 0x7d]), NOW_MS).ok).toBe(false);
  });

  it("refuses missing, malformed and foreign signatures", () => {
    const h = headers(NOW_S, body);
    const cases: Array<Record<string, string>> = [
      {},
      { "x-slack-signature": h["x-slack-signature"] },
      { "x-slack-request-timestamp": h["x-slack-request-timestamp"] },
      { ...h, "x-slack-request-timestamp": `${NOW_S}.0` },
      { ...h, "x-slack-request-timestamp": "-1" },
      { ...h, "x-slack-signature": h["x-slack-signature"].toUpperCase() },
      { ...h, "x-slack-signature": `v1=${h["x-slack-signature"].slice(3)}` },
      headers(NOW_S, body, "other"),
    ];
    for (const c of cases) expect(checkSignature(SECRET, c, Buffer.from(body), NOW_MS).ok).toBe(false);
  });
});

describe("routeSlackBody", () => {
  it("routes by the same field Bolt does, first match wins", () => {
    // An event body that also carries `command` is an event for Bolt: judged as one.
    expect(routeSlackBody({ event: "x", command: "/offline" })).toMatchObject({ pass: false, status: 200 });
    // A block_actions payload with a top-level `name` goes to Bolt's options route: refused.
    expect(
      routeSlackBody({
        type: "block_actions",
        name: "n",
        user: { id: "U" },
        actions: [{ action_id: "home_pause" }],
      }),
    ).toMatchObject({ pass: false, status: 400 });
    expect(
      routeSlackBody({ type: "block_actions", user: { id: "U" }, actions: [{ action_id: "home_pause" }] }),
    ).toEqual({ pass: true, kind: "action" });
    expect(routeSlackBody({ type: "url_verification", challenge: "c" })).toEqual({
      pass: true,
      kind: "handshake",
    });
  });

  it("acknowledges what needs no work without a warning, and flags what is malformed", () => {
    expect(
      routeSlackBody({ type: "block_actions", user: { id: "U" }, actions: [{ action_id: "link" }] }),
    ).toMatchObject({ status: 200, expected: true });
    expect(routeSlackBody({ type: "view_closed" })).toMatchObject({ status: 200, expected: true });
    expect(routeSlackBody(null)).toMatchObject({ status: 400, expected: false });
  });
});

describe("checkBearer", () => {
  const APP = "app-id";
  const token = (head: object, claims: object) =>
    `Bearer ${Buffer.from(JSON.stringify(head)).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
  const exp = NOW_S + 600;

  it("lets a token shaped like the Bot Framework's through to full validation", () => {
    expect(checkBearer(token({ alg: "RS256", kid: "k" }, { aud: APP, exp }), APP, NOW_MS)).toEqual({
      ok: true,
    });
    // botbuilder tolerates five minutes of clock skew on expiry; so does this.
    expect(
      checkBearer(token({ alg: "RS256", kid: "k" }, { aud: APP, exp: NOW_S - 200 }), APP, NOW_MS).ok,
    ).toBe(true);
  });

  it("refuses, without keys, what botbuilder would refuse after fetching them", () => {
    const cases = [
      undefined,
      "",
      "Bearer",
      "Basic abc",
      "Bearer a.b",
      "Bearer a.b.c",
      token({ alg: "HS256", kid: "k" }, { aud: APP, exp }),
      token({ alg: "none", kid: "k" }, { aud: APP, exp }),
      token({ alg: "RS256" }, { aud: APP, exp }),
      token({ alg: "RS256", kid: "k" }, { aud: "other", exp }),
      token({ alg: "RS256", kid: "k" }, { aud: APP }),
      token({ alg: "RS256", kid: "k" }, { aud: APP, exp: NOW_S - 301 }),
    ];
    for (const c of cases) expect(checkBearer(c, APP, NOW_MS).ok).toBe(false);
  });
});

describe("authFailureStatus", () => {
  it("answers 401 for a token botbuilder refused, 503 when it could not check (no keys)", () => {
    expect(authFailureStatus(Object.assign(new Error("Unauthorized"), { statusCode: 401 }))).toBe(401);
    expect(
      authFailureStatus(Object.assign(new Error("invalid signature"), { name: "JsonWebTokenError" })),
    ).toBe(401);
    expect(authFailureStatus(Object.assign(new Error("jwt expired"), { name: "TokenExpiredError" }))).toBe(
      401,
    );
    // node-fetch's error when login.botframework.com can't be reached, and a failed key download.
    expect(authFailureStatus(Object.assign(new Error("getaddrinfo ENOTFOUND"), { name: "FetchError" }))).toBe(
      503,
    );
    expect(authFailureStatus(Object.assign(new Error("Failed to load Keys: 500"), { statusCode: 500 }))).toBe(
      503,
    );
  });
});

describe("nestsDeeperThan", () => {
  it("measures nesting without recursion, even 100,000 levels deep", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(nestsDeeperThan(deep, 64)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: { c: 1 } }] }, 4)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: { c: {} } }] }, 4)).toBe(true);
  });
});
