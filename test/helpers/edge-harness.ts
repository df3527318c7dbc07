import { request as httpRequest } from "node:http";
import { createLogger } from "../../src/log.ts";
import type { Provider } from "../../src/store/db.ts";
import {
  type FakeBotConnector,
  type Json,
  startFakeBotConnector,
  type TeamsWorld,
} from "./fake-bot-connector.ts";
import {
  encodeSlackBody,
  SIGNING_SECRET,
  type SlackBody,
  type SlackHarness,
  signedHeaders,
  startSlackHarness,
} from "./slack-signing.ts";

// The adversarial suite's server: `serve`'s composition (startServer) with Slack over HTTP (one
// workspace, FakeSlack) and Teams on the same port, a log that records every line, and a raw HTTP
// client with a deadline on every request, so a hang fails the test instead of stalling it.

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface RawResult {
  status: number;
  text: string;
  ms: number;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** A string/Buffer, or chunks sent with chunked transfer encoding (no Content-Length). */
  body?: string | Buffer | { chunks: number; chunkBytes: number };
  /** The response must come within this (default 10 s: generous for a loaded machine; a hang is forever). */
  timeoutMs?: number;
}

export interface EdgeHarness {
  slack: SlackHarness;
  connector: FakeBotConnector;
  world: TeamsWorld;
  lines: LogLine[];
  base: string;
  request(r: RawRequest): Promise<RawResult>;
  /** POSTs `text` to /slack/events signed with `secret` at `timestamp` (seconds, default now). */
  signedRaw(
    text: string,
    o?: { contentType?: string; timestamp?: number; secret?: string; headers?: Record<string, string> },
  ): Promise<RawResult>;
  signed(body: SlackBody, o?: { timestamp?: number; secret?: string }): Promise<RawResult>;
  teams(activity: unknown, headers?: Record<string, string>): Promise<RawResult>;
  /** Counts of the rows a request could have written. */
  rows(): Promise<{ processedEvents: number; mentions: number; contacts: number; workspaces: number }>;
  close(): Promise<void>;
}

export async function startEdgeHarness(
  provider: Provider,
  o: { teamsAppId?: string; env?: Record<string, string> } = {},
): Promise<EdgeHarness> {
  const lines: LogLine[] = [];
  const log = createLogger("debug", {}, (line) => {
    const { level, msg, reason, err } = JSON.parse(line) as LogLine;
    lines.push({ level, msg, reason, err });
    return true;
  });
  const connector = await startFakeBotConnector();
  const teamsEnv: Record<string, string> = o.teamsAppId
    ? {
        MICROSOFT_APP_ID: o.teamsAppId,
        MICROSOFT_APP_PASSWORD: "not-a-real-secret",
        TEAMS_ALLOW_UNAUTHENTICATED: "false",
      }
    : { TEAMS_ALLOW_UNAUTHENTICATED: "true" };
  const slack = await startSlackHarness(provider, { env: { ...teamsEnv, ...o.env }, log });
  const base = slack.base;
  const world: TeamsWorld = {
    serviceUrl: connector.url,
    tenantId: "tenant-edge",
    teamId: "19:edge-general@thread.tacv2",
    teamName: "Edge",
    generalId: "19:edge-general@thread.tacv2",
    now: () => slack.clock.now(),
  };
  const request = (r: RawRequest) => rawRequest(base, r);
  const signedRaw: EdgeHarness["signedRaw"] = (text, so = {}) =>
    request({
      method: "POST",
      path: "/slack/events",
      headers: {
        "content-type": so.contentType ?? "application/json",
        ...signedHeaders(so.secret ?? SIGNING_SECRET, text, so.timestamp),
        ...so.headers,
      },
      body: text,
    });
  return {
    slack,
    connector,
    world,
    lines,
    base,
    request,
    signedRaw,
    signed(body, so = {}) {
      const { body: text, contentType } = encodeSlackBody(body);
      return signedRaw(text, { ...so, contentType });
    },
    teams: (activity, headers = {}) =>
      request({
        method: "POST",
        path: "/api/messages",
        headers: { "content-type": "application/json", ...headers },
        body: typeof activity === "string" ? activity : JSON.stringify(activity),
      }),
    async rows() {
      const db = slack.app.database.db;
      const [processedEvents, mentions, contacts, workspaces] = await Promise.all([
        db.processedEvent.count(),
        db.mention.count(),
        db.contact.count(),
        db.workspace.count(),
      ]);
      return { processedEvents, mentions, contacts, workspaces };
    },
    async close() {
      await slack.close();
      await connector.close();
    },
  };
}

/** One HTTP request with node:http (any body, any header), rejected if no response comes in time. */
export function rawRequest(base: string, r: RawRequest): Promise<RawResult> {
  const started = performance.now();
  const url = new URL(r.path, base);
  return new Promise<RawResult>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const headers: Record<string, string> = { ...r.headers };
    // Framed explicitly: Node sends a GET's body with neither a length nor chunking otherwise.
    if ((typeof r.body === "string" || Buffer.isBuffer(r.body)) && !headers["content-length"])
      headers["content-length"] = String(Buffer.byteLength(r.body));
    if (r.body !== undefined && typeof r.body === "object" && !Buffer.isBuffer(r.body))
      headers["transfer-encoding"] = "chunked";
    const req = httpRequest(url, { method: r.method ?? "GET", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        finish(() =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        ),
      );
      res.on("error", (err) => finish(() => reject(err)));
    });
    const timer = setTimeout(
      () =>
        finish(() => {
          req.destroy();
          reject(
            new Error(`no response to ${r.method ?? "GET"} ${r.path} within ${r.timeoutMs ?? 10_000} ms`),
          );
        }),
      r.timeoutMs ?? 10_000,
    );
    // The server may answer and close before the whole body is sent (413): that is not an error.
    req.on("error", (err) => setTimeout(() => finish(() => reject(err)), 200));
    const body = r.body;
    if (body === undefined) req.end();
    else if (typeof body === "string" || Buffer.isBuffer(body)) req.end(body);
    else {
      const chunk = Buffer.alloc(body.chunkBytes, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < body.chunks) {
          if (req.destroyed) return;
          sent++;
          if (!req.write(chunk)) {
            req.once("drain", pump);
            return;
          }
        }
        req.end();
      };
      pump();
    }
  });
}

/** A JSON value nested `depth` levels deep: [[[…]]]. */
export function deeplyNested(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

export type { Json };
