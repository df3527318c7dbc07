import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../helpers/db.ts";
import { type EdgeHarness, startEdgeHarness } from "../helpers/edge-harness.ts";
import {
  commandFields,
  encodeSlackBody,
  eventEnvelope,
  newEventId,
  SIGNING_SECRET,
  type SlackBody,
  slackSignature,
  slackTs,
  TEAM_ID,
} from "../helpers/slack-signing.ts";

// Signed requests as an attacker would send them: every kind of bad signature on every kind of Slack
// body, over real HTTP into the real server. Each must be refused with 401, write nothing and call
// nothing; the same bodies correctly signed are accepted (so the refusals are about the signature).

const CHANNEL = "C0SALES";
const now = () => Math.floor(Date.now() / 1000);

describe.each(PROVIDERS)("Slack request signatures on %s", (provider) => {
  let h: EdgeHarness;
  beforeAll(async () => {
    h = await startEdgeHarness(provider);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Bodies of each kind Slack sends, each a fresh delivery that would have an effect if accepted. */
  function bodies(): Record<string, SlackBody> {
    const ts = slackTs("2026-11-18T14:00:00Z", Math.floor(Math.random() * 1e6));
    return {
      event: {
        kind: "json",
        body: eventEnvelope(
          {
            type: "message",
            channel: CHANNEL,
            channel_type: "channel",
            user: "UBO",
            text: "lunch with <@UEXT>?",
            ts,
          },
          { teamId: TEAM_ID, eventId: newEventId() },
        ),
      },
      command: {
        kind: "form",
        fields: commandFields({
          teamId: TEAM_ID,
          userId: "UANN",
          text: "pause",
          responseUrl: h.slack.fake.responseUrl(newEventId().toLowerCase()),
        }),
      },
      interaction: {
        kind: "interaction",
        payload: {
          type: "block_actions",
          user: { id: "UANN", team_id: TEAM_ID },
          team: { id: TEAM_ID },
          container: { type: "view", view_id: "V1" },
          trigger_id: "1.trigger",
          actions: [{ type: "button", action_id: "home_pause", block_id: "b", value: "x" }],
        },
      },
    };
  }

  it("refuses forged, stale, future, tampered and header-less requests with 401, writing and calling nothing", async () => {
    await h.slack.reset();
    const before = h.slack.fake.calls.length;
    const outcomes: Array<{ name: string; status: number }> = [];
    const attempt = async (name: string, send: () => Promise<{ status: number }>) => {
      outcomes.push({ name, status: (await send()).status });
    };
    for (const [kind, body] of Object.entries(bodies())) {
      const { body: text, contentType } = encodeSlackBody(body);
      const post = (headers: Record<string, string>, payload = text) =>
        h.request({
          method: "POST",
          path: "/slack/events",
          headers: { "content-type": contentType, ...headers },
          body: payload,
        });
      const signed = (ts: number, secret = SIGNING_SECRET, payload = text) => ({
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": slackSignature(secret, ts, payload),
      });
      for (const secret of ["wrong-secret", "", `${SIGNING_SECRET} `, SIGNING_SECRET.toUpperCase()])
        await attempt(`${kind}: forged with ${JSON.stringify(secret)}`, () => post(signed(now(), secret)));
      // Just past the window either way. A request ages on its way in, so the future one leaves
      // room for a loaded machine's delay; the exact boundary (±301 s) is in test/platforms/http-edges.test.ts.
      for (const skew of [-301, -3600, -86_400, 320, 900, 3600])
        await attempt(`${kind}: timestamp ${skew} s`, () => post(signed(now() + skew)));
      await attempt(`${kind}: body tampered after signing`, () => post(signed(now()), `${text} `));
      await attempt(`${kind}: body swapped for another signed body`, () =>
        post(signed(now(), SIGNING_SECRET, "{}"), text),
      );
      const good = signed(now());
      await attempt(`${kind}: no signature`, () =>
        post({ "x-slack-request-timestamp": good["x-slack-request-timestamp"] }),
      );
      await attempt(`${kind}: no timestamp`, () => post({ "x-slack-signature": good["x-slack-signature"] }));
      await attempt(`${kind}: no headers`, () => post({}));
      await attempt(`${kind}: v1 prefix`, () =>
        post({ ...good, "x-slack-signature": good["x-slack-signature"].replace(/^v0=/, "v1=") }),
      );
      await attempt(`${kind}: no prefix`, () =>
        post({ ...good, "x-slack-signature": good["x-slack-signature"].slice(3) }),
      );
      await attempt(`${kind}: empty signature`, () => post({ ...good, "x-slack-signature": "" }));
      await attempt(`${kind}: v0= only`, () => post({ ...good, "x-slack-signature": "v0=" }));
      await attempt(`${kind}: truncated signature`, () =>
        post({ ...good, "x-slack-signature": good["x-slack-signature"].slice(0, 40) }),
      );
      await attempt(`${kind}: timestamp not a number`, () =>
        post({ ...signed(now()), "x-slack-request-timestamp": "soon" }),
      );
      await attempt(`${kind}: timestamp with a fraction`, () => {
        const ts = `${now()}.5`;
        return post({
          "x-slack-request-timestamp": ts,
          "x-slack-signature": `v0=${slackSignature(SIGNING_SECRET, Number(ts), text).slice(3)}`,
        });
      });
    }
    await h.slack.settle();
    const accepted = outcomes.filter((o) => o.status !== 401);
    expect(accepted).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(60);
    expect(await h.rows()).toMatchObject({ processedEvents: 0, mentions: 0, contacts: 0 });
    expect(h.slack.fake.calls.slice(before).filter((c) => c.method !== "auth.test")).toEqual([]);
    // Refusals are not faults: no error-level line for any of them.
    expect(h.lines.filter((l) => l.level === "error")).toEqual([]);
    console.info(`signatures: 0 of ${outcomes.length} forged/stale/future/tampered requests accepted`);
  });

  it("accepts the same bodies correctly signed, within five minutes either way", async () => {
    await h.slack.reset();
    const statuses: number[] = [];
    for (const skew of [0, -240, 240]) {
      for (const body of Object.values(bodies()))
        statuses.push((await h.signed(body, { timestamp: now() + skew })).status);
    }
    await h.slack.settle();
    expect(statuses).toEqual(Array(9).fill(200));
    const rows = await h.rows();
    expect(rows.processedEvents).toBe(3);
    expect(rows.mentions).toBe(3);
    expect(h.slack.fake.calls.filter((c) => c.method === "response_url")).toHaveLength(3);
  });

  it("answers ssl_check without a signature and ignores anything smuggled with it", async () => {
    await h.slack.reset();
    const event = bodies().event as { body: unknown };
    const smuggled = new URLSearchParams({ ssl_check: "1", payload: JSON.stringify(event.body) }).toString();
    const res = await h.request({
      method: "POST",
      path: "/slack/events",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: smuggled,
    });
    expect(res.status).toBe(200);
    await h.slack.settle();
    expect(await h.rows()).toMatchObject({ processedEvents: 0, mentions: 0 });
  });
});
