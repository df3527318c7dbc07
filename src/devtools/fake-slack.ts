import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";

// A local stand-in for Slack's Web API, shared by the tests and `npm run demo`. It listens on
// 127.0.0.1 (port 0 by default), records every call it receives, and answers like Slack does for
// the methods this project uses. Nothing here is Slack-specific business logic: tests assert on
// `calls`, override answers per method, and inject failures (rate limits, errors).
//
//   const slack = await FakeSlack.start();
//   new WebClient(token, { slackApiUrl: slack.url });   // slack.url = http://127.0.0.1:PORT/api/
//   slack.addUser({ id: "U1", team_id: "T1", profile: { display_name: "Ann" } });
//   slack.on("chat.postMessage", (args) => ({ ok: false, error: "channel_not_found" }));
//   slack.rateLimitOnce("chat.postMessage", 1);          // next call: 429 with Retry-After: 1
//   slack.callsTo("chat.postMessage")                    // [{ method, args, token, status, … }]
//   slack.responseUrl()                                   // a response_url that records "response_url" calls
//
// Served paths: POST /api/<method> (form or JSON bodies; JSON-looking form values are parsed),
// POST /response/<id> (response_url), POST /upload/<fileId> (files.uploadV2's upload step).
// users.list pages with a numeric cursor; conversations.history answers from posted messages.
// chat.postMessage to a user id (addUser'd, of the token's team) posts into the app's DM with them,
// D<user id> (what conversations.open answers), as Slack does; an unknown user: channel_not_found.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Args = Record<string, unknown>;

export interface FakeSlackCall {
  /** Web API method ("chat.postMessage"), or "response_url" / "file_upload" for those endpoints. */
  method: string;
  /** Parsed arguments. Form values that hold JSON (blocks, view, metadata…) are parsed. */
  args: Args;
  /** Bearer token or `token` argument, if any. */
  token: string | null;
  /** HTTP status the fake answered with (429 for an injected rate limit). */
  status: number;
  /** For response_url / file_upload: the id in the path. */
  pathId?: string;
  /** For an accepted chat.postMessage: the channel the message went into (a user id's DM, for a user id). */
  channel?: string;
  at: Date;
}

/** What a handler may return: a Web API body, or a full HTTP answer. */
export type FakeReply =
  | Record<string, unknown>
  | { status: number; headers?: Record<string, string>; body: unknown };
export type FakeHandler = (args: Args, call: FakeSlackCall) => FakeReply | Promise<FakeReply>;

/** Slack's user object, as much of it as the fake hands out via users.info. */
export interface FakeSlackUser {
  id: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  is_restricted?: boolean;
  is_stranger?: boolean;
  deleted?: boolean;
  enterprise_user?: { enterprise_id?: string };
  profile?: { display_name?: string; real_name?: string; email?: string; title?: string };
  [key: string]: unknown;
}

/** A message the fake holds in a channel (posted through chat.postMessage, or seeded). */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks?: unknown;
  metadata?: unknown;
  user?: string;
  bot_id?: string;
  /** Every version of the message, oldest first, when chat.update changed it. */
  edits: Array<{ text: string; blocks?: unknown }>;
}

/**
 * Slack's published rate limits (api.slack.com/apis/rate-limits), per workspace (the token's team)
 * and method: Tier 1 1+/min, Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min, each with a burst;
 * chat.postMessage about 1 per second per channel with short bursts, and several hundred a minute
 * per workspace. Beyond them: HTTP 429 with Retry-After (whole seconds), nothing done.
 */
export interface RateLimits {
  /** Per method, per workspace: calls a minute and the burst allowed above that pace. */
  methods: Record<string, { perMinute: number; burst: number }>;
  /** chat.postMessage per channel. */
  postPerChannel: { perSecond: number; burst: number };
  /** chat.postMessage per workspace, all channels together. */
  postPerWorkspace: { perMinute: number; burst: number };
}

const TIER = {
  1: { perMinute: 1, burst: 2 },
  2: { perMinute: 20, burst: 5 },
  3: { perMinute: 50, burst: 10 },
  4: { perMinute: 100, burst: 20 },
} as const;

export const SLACK_RATE_LIMITS: RateLimits = {
  methods: {
    "auth.test": TIER[4],
    "users.info": TIER[4],
    "users.list": TIER[2],
    "conversations.open": TIER[3],
    "conversations.history": TIER[3],
    "conversations.info": TIER[3],
    "chat.update": TIER[3],
    "chat.postEphemeral": TIER[4],
    "views.open": TIER[4],
    "views.publish": TIER[4],
    "views.update": TIER[4],
    "files.getUploadURLExternal": TIER[4],
    "files.completeUploadExternal": TIER[4],
  },
  postPerChannel: { perSecond: 1, burst: 3 },
  postPerWorkspace: { perMinute: 300, burst: 30 },
};

/** Token buckets keyed by workspace and method (or channel): the answer to "may this call pass now?". */
class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limits: RateLimits) {}

  /**
   * null when the call may pass (and is counted), else the Retry-After in seconds. `channel` is
   * where a chat.postMessage lands (a user id's DM, not the user id).
   */
  take(team: string, method: string, channel: string, now = Date.now()): number | null {
    const checks: Array<{ key: string; perMs: number; burst: number }> = [];
    if (method === "chat.postMessage") {
      const ch = this.limits.postPerChannel;
      const ws = this.limits.postPerWorkspace;
      checks.push({
        key: `${team}:post:${channel}`,
        perMs: ch.perSecond / 1000,
        burst: ch.burst,
      });
      checks.push({ key: `${team}:post`, perMs: ws.perMinute / 60_000, burst: ws.burst });
    } else {
      const m = this.limits.methods[method];
      if (m) checks.push({ key: `${team}:${method}`, perMs: m.perMinute / 60_000, burst: m.burst });
    }
    let wait = 0;
    const states = checks.map((c) => {
      const b = this.buckets.get(c.key) ?? { tokens: c.burst, at: now };
      const tokens = Math.min(c.burst, b.tokens + (now - b.at) * c.perMs);
      if (tokens < 1) wait = Math.max(wait, (1 - tokens) / c.perMs);
      return { c, tokens };
    });
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    for (const { c, tokens } of states) this.buckets.set(c.key, { tokens: tokens - 1, at: now });
    return null;
  }
}

export interface FakeSlackOptions {
  port?: number;
  /** Enforce Slack's rate limits per workspace (the token's team, see registerToken): SLACK_RATE_LIMITS or your own. */
  rateLimits?: RateLimits;
  teamId?: string;
  teamName?: string;
  enterpriseId?: string | null;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** What oauth.v2.access hands out. */
  oauth?: {
    accessToken?: string;
    installerUserId?: string;
    scopes?: string[];
    teamId?: string;
    teamName?: string;
  };
}

interface TokenIdentity {
  teamId: string;
  teamName: string;
  enterpriseId: string | null;
  botUserId: string;
  botId: string;
}

export class FakeSlack {
  /** Every request received, in order. */
  readonly calls: FakeSlackCall[] = [];
  /** users.info answers. */
  readonly users = new Map<string, FakeSlackUser>();
  /** Messages per channel, oldest first (conversations.history reads these). */
  readonly messages = new Map<string, FakeMessage[]>();
  /** Files uploaded through files.uploadV2, by file id. */
  readonly files = new Map<
    string,
    { filename: string; title?: string; length?: number; content: string; channel?: string }
  >();
  /** apps.connections.open answers with this URL (set it to a local WebSocket server). */
  socketModeUrl: string | null = null;

  private readonly handlers = new Map<string, FakeHandler>();
  private readonly injected = new Map<string, FakeHandler[]>();
  private readonly tokens = new Map<string, TokenIdentity>();
  private readonly defaultIdentity: TokenIdentity;
  private readonly waiters = new Set<() => void>();
  private tsCounter = 0;
  private idCounter = 0;
  private readonly limiter: RateLimiter | null;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly options: FakeSlackOptions,
  ) {
    this.defaultIdentity = {
      teamId: options.teamId ?? "T0FAKE",
      teamName: options.teamName ?? "Fake Team",
      enterpriseId: options.enterpriseId ?? null,
      botUserId: options.botUserId ?? "UBOT",
      botId: options.botId ?? "BBOT",
    };
    this.limiter = options.rateLimits ? new RateLimiter(options.rateLimits) : null;
    this.installDefaults();
  }

  /** Starts the fake on 127.0.0.1 (port 0 unless given). */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    let fake: FakeSlack | null = null;
    const server = createServer((req, res) => {
      if (!fake) {
        res.writeHead(503).end();
        return;
      }
      fake.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`, options);
    return fake;
  }

  /** Web API base URL, for `slackApiUrl` / SLACK_API_URL. Ends in a slash. */
  get url(): string {
    return `${this.origin}/api/`;
  }

  get teamId(): string {
    return this.defaultIdentity.teamId;
  }

  get botUserId(): string {
    return this.defaultIdentity.botUserId;
  }

  get botId(): string {
    return this.defaultIdentity.botId;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- configuration -------------------------------------------------------------------------

  /** Replaces the answer for a method (until changed again). */
  on(method: string, handler: FakeHandler | FakeReply): this {
    this.handlers.set(method, typeof handler === "function" ? handler : () => handler);
    return this;
  }

  /** The next call to `method` gets `reply` (queued; after that, the normal handler answers again). */
  once(method: string, reply: FakeHandler | FakeReply): this {
    const queue = this.injected.get(method) ?? [];
    queue.push(typeof reply === "function" ? reply : () => reply);
    this.injected.set(method, queue);
    return this;
  }

  /** The next call to `method` gets HTTP 429 with Retry-After, as Slack's rate limiter does. */
  rateLimitOnce(method: string, retryAfterSeconds = 1): this {
    return this.once(method, {
      status: 429,
      headers: { "retry-after": String(retryAfterSeconds) },
      body: { ok: false, error: "ratelimited" },
    });
  }

  addUser(user: FakeSlackUser): this {
    this.users.set(user.id, user);
    return this;
  }

  /** Makes `token` belong to another team (auth.test answers with it). */
  registerToken(token: string, identity: Partial<TokenIdentity>): this {
    this.tokens.set(token, { ...this.defaultIdentity, ...identity });
    return this;
  }

  /** A response_url served by this fake; POSTs to it are recorded as method "response_url". */
  responseUrl(id = randomBytes(6).toString("hex")): string {
    return `${this.origin}/response/${id}`;
  }

  /** Seeds a message in a channel, as if someone had posted it. */
  addMessage(
    channel: string,
    message: Omit<FakeMessage, "channel" | "ts" | "edits"> & { ts?: string },
  ): FakeMessage {
    const stored: FakeMessage = { ...message, channel, ts: message.ts ?? this.nextTs(), edits: [] };
    this.channel(channel).push(stored);
    return stored;
  }

  // ---- inspection ----------------------------------------------------------------------------

  callsTo(method: string): FakeSlackCall[] {
    return this.calls.filter((c) => c.method === method && c.status === 200);
  }

  /** Where a chat.postMessage call's message goes (for handlers that stand in for the default): null if nowhere. */
  landsIn(call: FakeSlackCall): string | null {
    return this.postTarget(this.identity(call.token).teamId, call.args.channel);
  }

  /** Accepted chat.postMessage calls whose message went into `channel` (posted to it, or to the user of that DM). */
  postsTo(channel: string): FakeSlackCall[] {
    return this.callsTo("chat.postMessage").filter((c) => c.channel === channel);
  }

  /** Forgets recorded calls (messages, users and files stay). */
  reset(): void {
    this.calls.length = 0;
  }

  /** Back to the state right after start(): no calls, users, messages, files, tokens or overrides. */
  resetAll(): void {
    this.calls.length = 0;
    this.users.clear();
    this.messages.clear();
    this.files.clear();
    this.injected.clear();
    this.handlers.clear();
    this.tokens.clear();
    this.socketModeUrl = null;
    this.installDefaults();
  }

  /** Resolves once `predicate` holds for the recorded calls (checked after every call), or rejects after timeoutMs. */
  async waitFor(predicate: (calls: FakeSlackCall[]) => boolean, timeoutMs = 5_000): Promise<void> {
    if (predicate(this.calls)) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate(this.calls)) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(`FakeSlack.waitFor timed out; calls: ${this.calls.map((c) => c.method).join(", ")}`),
        );
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Waits until `method` was answered successfully at least `count` times. */
  waitForCall(method: string, count = 1, timeoutMs = 5_000): Promise<void> {
    return this.waitFor(
      (calls) => calls.filter((c) => c.method === method && c.status === 200).length >= count,
      timeoutMs,
    );
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const raw = await readBody(req);
    const contentType = String(req.headers["content-type"] ?? "");
    const auth = String(req.headers.authorization ?? "");
    const bearer = auth.startsWith("Bearer ") ? auth.slice(7) : null;

    if (path.startsWith("/response/")) {
      const args = parseBody(raw.toString("utf8"), contentType);
      this.record("response_url", args, bearer, 200, path.slice("/response/".length));
      this.notify();
      return send(res, 200, { ok: true });
    }
    if (path.startsWith("/upload/")) {
      const fileId = path.slice("/upload/".length);
      const content = multipartText(raw, contentType);
      const file = this.files.get(fileId);
      if (file) file.content = content;
      this.record("file_upload", { file_id: fileId, content }, bearer, 200, fileId);
      this.notify();
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`OK - ${raw.length}`);
      return;
    }
    if (!path.startsWith("/api/")) return send(res, 404, { ok: false, error: "not_found" });

    const method = path.slice("/api/".length);
    const args = parseBody(raw.toString("utf8"), contentType);
    const token = bearer ?? (typeof args.token === "string" ? args.token : null);
    const call: FakeSlackCall = { method, args, token, status: 200, at: new Date() };
    const team = this.identity(token).teamId;
    const target = method === "chat.postMessage" ? (this.postTarget(team, args.channel) ?? "") : "";
    const retryAfter = this.limiter?.take(team, method, target) ?? null;
    if (retryAfter !== null) {
      call.status = 429;
      this.calls.push(call);
      this.notify();
      res.writeHead(429, { "content-type": "application/json", "retry-after": String(retryAfter) });
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return;
    }
    const queued = this.injected.get(method)?.shift();
    const handler = queued ?? this.handlers.get(method);
    const reply: FakeReply = handler ? await handler(args, call) : { ok: false, error: "unknown_method" };
    const http = isHttpReply(reply) ? reply : { status: 200, body: reply };
    call.status = http.status;
    this.calls.push(call);
    this.notify();
    res.writeHead(http.status, { "content-type": "application/json", ...(http.headers ?? {}) });
    res.end(JSON.stringify(http.body));
  }

  private record(
    method: string,
    args: Args,
    token: string | null,
    status: number,
    pathId?: string,
  ): FakeSlackCall {
    const call: FakeSlackCall = {
      method,
      args,
      token,
      status,
      at: new Date(),
      ...(pathId ? { pathId } : {}),
    };
    this.calls.push(call);
    return call;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  // ---- default behaviour ---------------------------------------------------------------------

  private identity(token: string | null): TokenIdentity {
    return (token && this.tokens.get(token)) || this.defaultIdentity;
  }

  /**
   * Where chat.postMessage puts a message: the channel itself, or for a user id (U…/W…) of the
   * token's workspace that user's DM with the app (the id conversations.open returns); null for an
   * unknown user, whom Slack answers with channel_not_found.
   */
  private postTarget(team: string, channel: unknown): string | null {
    const id = String(channel ?? "");
    if (!id) return null;
    if (!USER_ID.test(id)) return id;
    const user = this.users.get(id);
    if (!user || (user.team_id !== undefined && user.team_id !== team)) return null;
    return dmChannelOf(id);
  }

  private channel(id: string): FakeMessage[] {
    let list = this.messages.get(id);
    if (!list) {
      list = [];
      this.messages.set(id, list);
    }
    return list;
  }

  private nextTs(): string {
    this.tsCounter++;
    return `${1_700_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, "0")}`;
  }

  private nextId(prefix: string): string {
    this.idCounter++;
    return `${prefix}${String(this.idCounter).padStart(8, "0")}`;
  }

  private installDefaults(): void {
    this.on("api.test", (args) => ({ ok: true, args }));
    this.on("auth.test", (_args, call) => {
      const id = this.identity(call.token);
      return {
        ok: true,
        url: `https://${id.teamId.toLowerCase()}.slack.test/`,
        team: id.teamName,
        team_id: id.teamId,
        user: "take-it-offline",
        user_id: id.botUserId,
        bot_id: id.botId,
        ...(id.enterpriseId ? { enterprise_id: id.enterpriseId } : {}),
        is_enterprise_install: false,
      };
    });
    this.on("users.info", (args) => {
      const user = this.users.get(String(args.user));
      return user ? { ok: true, user } : { ok: false, error: "user_not_found" };
    });
    this.on("users.list", (args) => {
      const all = [...this.users.values()];
      const start = Number(args.cursor ?? 0) || 0;
      const limit = Math.max(1, Number(args.limit ?? 200) || 200);
      const next = start + limit < all.length ? String(start + limit) : "";
      return { ok: true, members: all.slice(start, start + limit), response_metadata: { next_cursor: next } };
    });
    this.on("conversations.open", (args) => {
      const users = String(args.users ?? "");
      if (!users) return { ok: false, error: "users_list_not_supplied" };
      return { ok: true, channel: { id: dmChannelOf(users.split(",")[0] ?? "") } };
    });
    this.on("chat.postMessage", (args, call) => {
      const id = this.identity(call.token);
      const channel = this.postTarget(id.teamId, args.channel);
      if (!channel) return { ok: false, error: "channel_not_found" };
      call.channel = channel;
      const message = this.addMessage(channel, {
        text: String(args.text ?? ""),
        ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
        ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
        user: id.botUserId,
        bot_id: id.botId,
      });
      return { ok: true, channel, ts: message.ts, message: toSlackMessage(message, true) };
    });
    this.on("chat.update", (args) => {
      const channel = String(args.channel ?? "");
      const ts = String(args.ts ?? "");
      const message = this.messages.get(channel)?.find((m) => m.ts === ts);
      if (!message) return { ok: false, error: "message_not_found" };
      message.edits.push({
        text: message.text,
        ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
      });
      message.text = String(args.text ?? "");
      if (args.blocks !== undefined) message.blocks = args.blocks;
      return { ok: true, channel, ts, text: message.text };
    });
    this.on("chat.postEphemeral", () => ({ ok: true, message_ts: this.nextTs() }));
    this.on("conversations.history", (args) => {
      const list = [...(this.messages.get(String(args.channel ?? "")) ?? [])].reverse();
      const limit = Number(args.limit ?? 100);
      const withMeta = args.include_all_metadata === true || args.include_all_metadata === "true";
      return {
        ok: true,
        messages: list.slice(0, limit).map((m) => toSlackMessage(m, withMeta)),
        has_more: list.length > limit,
      };
    });
    const view = (args: Args) => ({
      ok: true,
      view: { id: this.nextId("V"), ...(isRecord(args.view) ? args.view : {}) },
    });
    this.on("views.open", view);
    this.on("views.update", view);
    this.on("views.push", view);
    this.on("views.publish", view);
    this.on("files.getUploadURLExternal", (args) => {
      const fileId = this.nextId("F");
      this.files.set(fileId, {
        filename: String(args.filename ?? "file"),
        length: Number(args.length ?? 0),
        content: "",
      });
      return { ok: true, upload_url: `${this.origin}/upload/${fileId}`, file_id: fileId };
    });
    this.on("files.completeUploadExternal", (args) => {
      const entries = Array.isArray(args.files) ? args.files : [];
      const files = entries.filter(isRecord).map((f) => {
        const id = String(f.id ?? "");
        const stored = this.files.get(id);
        if (stored) {
          if (typeof f.title === "string") stored.title = f.title;
          if (typeof args.channel_id === "string") stored.channel = args.channel_id;
        }
        return { id, title: f.title ?? stored?.filename, name: stored?.filename };
      });
      return { ok: true, files };
    });
    this.on("oauth.v2.access", (args) => {
      if (!args.code || args.code === "bad-code") return { ok: false, error: "invalid_code" };
      const o = this.options.oauth ?? {};
      const teamId = o.teamId ?? this.defaultIdentity.teamId;
      const teamName = o.teamName ?? this.defaultIdentity.teamName;
      const token = o.accessToken ?? `xoxb-${teamId}-${randomBytes(6).toString("hex")}`;
      this.registerToken(token, { teamId, teamName });
      return {
        ok: true,
        app_id: this.options.appId ?? "A0FAKE",
        authed_user: { id: o.installerUserId ?? "UINSTALLER" },
        scope: (o.scopes ?? ["chat:write"]).join(","),
        token_type: "bot",
        access_token: token,
        bot_user_id: this.defaultIdentity.botUserId,
        team: { id: teamId, name: teamName },
        enterprise: null,
        is_enterprise_install: false,
      };
    });
    this.on("apps.connections.open", () =>
      this.socketModeUrl
        ? { ok: true, url: this.socketModeUrl }
        : { ok: false, error: "socket_mode_not_configured" },
    );
  }
}

/** A user id (U… or W… for Enterprise Grid); channels start with C, G or D. */
const USER_ID = /^[UW][A-Za-z0-9]+$/;

/** The stable id of the app's DM with a user: conversations.open and chat.postMessage to the user agree on it. */
export function dmChannelOf(userId: string): string {
  return `D${userId}`;
}

function toSlackMessage(m: FakeMessage, withMetadata: boolean): Record<string, unknown> {
  return {
    type: "message",
    ts: m.ts,
    text: m.text,
    ...(m.user ? { user: m.user } : {}),
    ...(m.bot_id ? { bot_id: m.bot_id } : {}),
    ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
    ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isHttpReply(r: FakeReply): r is { status: number; headers?: Record<string, string>; body: unknown } {
  return typeof r.status === "number" && "body" in r;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Form or JSON body → args; form values that look like JSON are parsed (the WebClient JSON-encodes objects). */
export function parseBody(text: string, contentType: string): Args {
  if (!text) return {};
  if (contentType.includes("application/json")) {
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? parsed : { body: parsed };
    } catch {
      return { raw: text };
    }
  }
  const form = parseQuery(text);
  const args: Args = {};
  for (const [key, value] of Object.entries(form)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v === undefined) continue;
    args[key] = maybeJson(v);
  }
  return args;
}

function maybeJson(v: string): unknown {
  const t = v.trim();
  if (t.startsWith("{") || t.startsWith("[") || t === "true" || t === "false") {
    try {
      return JSON.parse(t);
    } catch {
      return v;
    }
  }
  return v;
}

/** The first part's content of a multipart body (the WebClient uploads one file per request). */
function multipartText(raw: Buffer, contentType: string): string {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const text = raw.toString("utf8");
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return text;
  for (const part of text.split(`--${b}`)) {
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    return part.slice(split + 4).replace(/\r\n$/, "");
  }
  return text;
}
