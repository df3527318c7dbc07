import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { PROVIDERS } from "../helpers/db.ts";
import {
  commandFields,
  eventEnvelope,
  type SlackHarness,
  slackTs,
  startSlackHarness,
  TEAM_ID,
} from "../helpers/slack-signing.ts";

// Socket Mode: apps.connections.open on the fake Slack returns a ws:// URL of a local WebSocket
// server that plays Slack's side (hello, envelopes, reading acks).

interface SocketSide {
  server: WebSocketServer;
  url: string;
  connection(): Promise<WebSocket>;
  /** Envelope ids acknowledged by the app, in order. */
  acks: Array<{ envelope_id: string; payload?: unknown }>;
  closed: Promise<void>;
}

async function slackSocketServer(): Promise<SocketSide> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await once(server, "listening");
  const acks: SocketSide["acks"] = [];
  let current: WebSocket | null = null;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  const connected = new Promise<WebSocket>((resolve) => {
    server.on("connection", (socket) => {
      current = socket;
      socket.on("message", (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) acks.push({ envelope_id: msg.envelope_id, payload: msg.payload });
      });
      socket.on("close", () => resolveClosed());
      socket.send(
        JSON.stringify({
          type: "hello",
          num_connections: 1,
          debug_info: { host: "fake" },
          connection_info: { app_id: "A0FAKE" },
        }),
      );
      resolve(socket);
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `ws://127.0.0.1:${port}/link/?ticket=fake`,
    connection: () => (current ? Promise.resolve(current) : connected),
    acks,
    closed,
  };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(PROVIDERS)("Slack Socket Mode on %s", (provider) => {
  let h: SlackHarness;
  let slack: SocketSide;
  beforeEach(async () => {
    slack = await slackSocketServer();
    h = await startSlackHarness(provider, {
      env: { SLACK_APP_TOKEN: "xapp-1-test", SLACK_SIGNING_SECRET: "" },
      setup: (fake) => {
        fake.socketModeUrl = slack.url;
      },
    });
  });
  afterEach(async () => {
    await h.close();
    slack.server.close();
  });

  const db = () => h.app.database.db;
  const envelope = (id: string, eventId: string, seq: number) =>
    JSON.stringify({
      envelope_id: id,
      type: "events_api",
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: "",
      payload: eventEnvelope(
        {
          type: "message",
          channel: "C0SALES",
          channel_type: "channel",
          user: "UBO",
          text: `over the socket: <@UEXT>`,
          ts: slackTs("2026-11-18T14:00:00Z", seq),
        },
        { teamId: TEAM_ID, eventId },
      ),
    });

  it("connects with the app token, acknowledges envelopes and processes each event once", async () => {
    const [open] = h.fake.callsTo("apps.connections.open");
    expect(open?.token).toBe("xapp-1-test");
    const socket = await slack.connection();
    // Not served over HTTP in Socket Mode.
    expect((await fetch(`${h.base}/slack/events`, { method: "POST", body: "{}" })).status).toBe(404);

    socket.send(envelope("env-1", "EvSOCKET1", 1));
    await until(() => slack.acks.some((a) => a.envelope_id === "env-1"));
    await h.settle();
    expect(await db().mention.count()).toBe(1);
    expect(await db().processedEvent.findUniqueOrThrow({ where: { key: "slack:EvSOCKET1" } })).toMatchObject({
      status: "done",
    });

    // Slack redelivers the same event in a new envelope: acknowledged, not counted again.
    socket.send(envelope("env-2", "EvSOCKET1", 1));
    await until(() => slack.acks.some((a) => a.envelope_id === "env-2"));
    await h.settle();
    expect(await db().mention.count()).toBe(1);
  });

  it("runs slash commands over the socket", async () => {
    const socket = await slack.connection();
    const responseUrl = h.fake.responseUrl("socket-cmd");
    socket.send(
      JSON.stringify({
        envelope_id: "env-cmd",
        type: "slash_commands",
        accepts_response_payload: true,
        payload: commandFields({ teamId: TEAM_ID, userId: "UBO", text: "stats", responseUrl }),
      }),
    );
    await until(() => slack.acks.some((a) => a.envelope_id === "env-cmd"));
    await h.settle();
    expect(String(h.responses("socket-cmd")[0]?.text)).toContain("Last 30 days");
  });

  it("acknowledges malformed envelopes (so Slack doesn't redeliver them) without processing them", async () => {
    const socket = await slack.connection();
    const bad = (id: string, type: string, payload: unknown) =>
      socket.send(JSON.stringify({ envelope_id: id, type, accepts_response_payload: false, payload }));
    bad("env-null-event", "events_api", { ...JSON.parse(envelope("x", "EvBAD1", 9)).payload, event: null });
    bad("env-bad-ts", "events_api", {
      ...JSON.parse(envelope("x", "EvBAD2", 9)).payload,
      event: {
        type: "message",
        channel: "C0SALES",
        channel_type: "channel",
        user: "UBO",
        text: "<@UEXT>",
        ts: "soon",
      },
    });
    bad("env-no-response-url", "slash_commands", {
      ...commandFields({ teamId: TEAM_ID, userId: "UBO", text: "stats", responseUrl: "x" }),
      response_url: undefined,
    });
    bad("env-unknown-action", "interactive", {
      type: "block_actions",
      user: { id: "UBO" },
      actions: [{ action_id: "somebody_elses" }],
    });
    // A null event breaks the Socket Mode client itself before any ack can be made: it is skipped.
    const ids = ["env-bad-ts", "env-no-response-url", "env-unknown-action"];
    await until(() => ids.every((id) => slack.acks.some((a) => a.envelope_id === id)));
    await h.settle();
    expect(await db().processedEvent.count()).toBe(0);
    expect(await db().mention.count()).toBe(0);
    expect(h.fake.calls.filter((c) => c.method === "response_url")).toEqual([]);
  });

  it("withholds the ack when the event can't be stored, so Slack redelivers it", async () => {
    const socket = await slack.connection();
    const table = provider === "postgresql" ? '"ProcessedEvent"' : "ProcessedEvent";
    await db().$executeRawUnsafe(`ALTER TABLE ${table} RENAME TO "ProcessedEventGone"`);
    socket.send(envelope("env-fail", "EvSOCKET2", 2));
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.acks.map((a) => a.envelope_id)).not.toContain("env-fail");
    await db().$executeRawUnsafe(`ALTER TABLE "ProcessedEventGone" RENAME TO ${table}`);
    socket.send(envelope("env-retry", "EvSOCKET2", 2));
    await until(() => slack.acks.some((a) => a.envelope_id === "env-retry"));
    await h.settle();
    expect(await db().mention.count()).toBe(1);
  });

  it("disconnects on stop", async () => {
    await slack.connection();
    await h.running.stop();
    await slack.closed;
  });
});
