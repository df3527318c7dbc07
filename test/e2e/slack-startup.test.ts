import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../helpers/db.ts";
import { type SlackHarness, slackTs, startSlackHarness, TEAM_ID } from "../helpers/slack-signing.ts";

describe.each(PROVIDERS)("Slack unreachable at start-up on %s", (provider) => {
  let h: SlackHarness;
  let slackUp = false;
  beforeAll(async () => {
    h = await startSlackHarness(provider, {
      setup: (fake) => {
        const identity = {
          ok: true,
          team_id: TEAM_ID,
          team: "Northwind",
          user_id: fake.botUserId,
          bot_id: fake.botId,
        };
        fake.on("auth.test", () => (slackUp ? identity : { ok: false, error: "service_unavailable" }));
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it("keeps serving, and authorizes events once Slack answers", async () => {
    expect(h.fake.calls.some((c) => c.method === "auth.test")).toBe(true);
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
    // Still down: the event can't be authorized, so Slack is told to retry (non-2xx) and nothing is lost.
    const event = {
      type: "message",
      channel: "C0SALES",
      channel_type: "channel",
      user: "UBO",
      text: "call with <@UEXT>",
      ts: slackTs("2026-11-18T14:00:00Z", 1),
      team: TEAM_ID,
    };
    const first = await h.event(event);
    expect(first.status).toBeGreaterThanOrEqual(400);
    slackUp = true;
    // Slack's retry: the same event, under the same event_id.
    const retry = await h.event(event, { eventId: first.eventId });
    expect(retry.status).toBe(200);
    await h.settle();
    expect(await h.app.database.db.mention.count()).toBe(1);
  });
});
