// A local stand-in for the Bot Connector service that Teams activities name as their serviceUrl.
// botbuilder talks to it exactly as it would to https://smba.trafficmanager.net/…: it records
// every call, answers sends/updates/creates with ids, and serves member lookups from a
// configurable roster (guests and other tenants included). Also builds Teams activities.

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CalendarPort } from "../../src/app/calendar-port.ts";
import { type AppContext, openApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { fixedClock } from "../../src/core/ports.ts";
import type { Platform } from "../../src/platforms/types.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import type { Provider } from "../../src/store/db.ts";
import { createEmptyDatabase } from "./db.ts";

export interface FakeUser {
  id: string;
  name: string;
  aadObjectId?: string;
  tenantId?: string;
  userRole?: "user" | "guest" | "anonymous";
  email?: string;
  givenName?: string;
  surname?: string;
}

export interface RecordedCall {
  method: string;
  /** Decoded path, e.g. /v3/conversations/19:abc@thread.tacv2/activities. */
  path: string;
  conversationId: string | null;
  /** The activity id after /activities/ (reply target for POST, updated message for PUT). */
  activityId: string | null;
  body: Record<string, unknown> | null;
  /** The id the fake answered with (new activity or conversation id). */
  responseId: string | null;
  /** The HTTP status the fake answered with (set once it answered). */
  status?: number;
  /** The request body as sent (file uploads aren't JSON). */
  raw: string;
}

/** A scripted answer (a fault): an HTTP status and body, or no answer at all ("hang"). */
export type FakeConnectorFault =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true };

export interface FakeBotConnector {
  /** The serviceUrl to put in activities (ends with /). */
  url: string;
  calls: RecordedCall[];
  users: Map<string, FakeUser>;
  addUsers(...users: FakeUser[]): void;
  /** Scripts faults: return one to answer a call with it instead of the normal answer. */
  fault: ((call: RecordedCall) => FakeConnectorFault | null | undefined) | null;
  /** Messages the bot sent (POST …/activities[/replyTo]), optionally in one conversation. */
  sent(conversationId?: string): RecordedCall[];
  /** Message updates (PUT …/activities/{id}). */
  updates(conversationId?: string): RecordedCall[];
  /** Conversations the bot created (POST /v3/conversations). */
  created(): RecordedCall[];
  /** Files uploaded to the fake's OneDrive upload URLs (`${url}upload/NAME`). */
  uploads(): RecordedCall[];
  close(): Promise<void>;
}

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const calls: RecordedCall[] = [];
  const users = new Map<string, FakeUser>();
  let seq = 0;
  const connector = { fault: null } as FakeBotConnector;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? "/", "http://fake");
      const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      const path = `/${segments.join("/")}`;
      let body: Record<string, unknown> | null = null;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      const [v3, conversations, conversationId, sub, item] = segments;
      const isConversations = v3 === "v3" && conversations === "conversations";
      const call: RecordedCall = {
        method: req.method ?? "",
        path,
        conversationId: isConversations ? (conversationId ?? null) : null,
        activityId: sub === "activities" ? (item ?? null) : null,
        body,
        responseId: null,
        raw,
      };
      calls.push(call);
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        const id = (value as { id?: unknown } | null)?.id;
        if (typeof id === "string" && status < 300) call.responseId = id;
        call.status = status;
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(value));
      };
      const fault = connector.fault?.(call);
      if (fault) {
        if ("hang" in fault) return;
        return json(
          fault.status,
          fault.body ?? { error: { code: "Fault", message: "scripted" } },
          fault.headers,
        );
      }
      // A OneDrive upload URL as a file consent's uploadInfo names it (files.ts PUTs the bytes).
      if (v3 === "upload" && req.method === "PUT")
        return json(201, { id: `file-${++seq}`, name: segments[1] ?? "file", size: raw.length });
      if (!isConversations) return json(404, { error: { code: "NotFound", message: path } });
      if (req.method === "POST" && !conversationId) {
        seq++;
        return json(201, { id: `a:dm-${seq}`, activityId: `act-${seq}`, serviceUrl: "" });
      }
      if (sub === "activities" && (req.method === "POST" || req.method === "PUT")) {
        seq++;
        return json(200, { id: req.method === "PUT" ? item : `act-${seq}` });
      }
      if (req.method === "GET" && sub === "members" && item) {
        const user = users.get(item);
        if (!user)
          return json(404, { error: { code: "MemberNotFoundInConversation", message: "not found" } });
        return json(200, toMember(user));
      }
      if (req.method === "GET" && sub === "pagedmembers") {
        const all = [...users.values()];
        const size = Number(url.searchParams.get("pageSize") ?? "100") || 100;
        const start = Number(url.searchParams.get("continuationToken") ?? "0") || 0;
        const page = all.slice(start, start + size);
        const next = start + size < all.length ? String(start + size) : undefined;
        return json(200, { members: page.map(toMember), ...(next ? { continuationToken: next } : {}) });
      }
      return json(404, { error: { code: "NotFound", message: path } });
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const isSend = (c: RecordedCall) => c.method === "POST" && c.path.includes("/activities");
  const api: Omit<FakeBotConnector, "fault"> = {
    url: `http://127.0.0.1:${port}/`,
    calls,
    users,
    addUsers: (...list) => {
      for (const u of list) users.set(u.id, u);
    },
    sent: (conversationId) =>
      calls.filter((c) => isSend(c) && (conversationId === undefined || c.conversationId === conversationId)),
    updates: (conversationId) =>
      calls.filter(
        (c) => c.method === "PUT" && (conversationId === undefined || c.conversationId === conversationId),
      ),
    created: () => calls.filter((c) => c.method === "POST" && c.path === "/v3/conversations"),
    uploads: () => calls.filter((c) => c.method === "PUT" && c.path.startsWith("/upload/")),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  Object.assign(connector, api);
  return connector;
}

function toMember(u: FakeUser): Record<string, unknown> {
  return {
    id: u.id,
    name: u.name,
    aadObjectId: u.aadObjectId ?? `aad-${u.id}`,
    tenantId: u.tenantId,
    userRole: u.userRole ?? "user",
    email: u.email,
    userPrincipalName: u.email,
    givenName: u.givenName,
    surname: u.surname,
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// ---------------------------------------------------------------------------------------------
// Activities, shaped like the ones Teams sends.

export const BOT = { id: "28:take-it-offline-bot", name: "Take It Offline" };

export interface TeamsWorld {
  serviceUrl: string;
  tenantId: string;
  teamId: string;
  teamName: string;
  /** The General channel: its id is the team id, as in Teams. */
  generalId: string;
  /** Activity timestamps (the app runs on a fixed clock in tests). */
  now(): Date;
}

export type Json = Record<string, unknown>;

let nextId = 1_700_000_000_000;
/** Teams message ids are millisecond timestamps; unique per test run is what matters. */
export function messageId(): string {
  nextId += 1;
  return String(nextId);
}

function base(world: TeamsWorld, overrides: Json): Json {
  return {
    channelId: "msteams",
    serviceUrl: world.serviceUrl,
    timestamp: world.now().toISOString(),
    localTimezone: "Europe/Berlin",
    recipient: BOT,
    ...overrides,
  };
}

function teamChannelData(
  world: TeamsWorld,
  channel: { id: string; name?: string } | undefined,
  eventType?: string,
): Json {
  return {
    tenant: { id: world.tenantId },
    team: { id: world.teamId, name: world.teamName },
    ...(channel ? { channel } : {}),
    ...(eventType ? { eventType } : {}),
  };
}

function generalConversation(world: TeamsWorld): Json {
  return { id: world.generalId, conversationType: "channel", tenantId: world.tenantId, isGroup: true };
}

/** A conversationUpdate from the team's General channel: members or channels changed. */
function teamUpdate(
  world: TeamsWorld,
  by: FakeUser,
  changes: Json,
  eventType: string,
  channel?: { id: string; name: string },
): Json {
  return base(world, {
    type: "conversationUpdate",
    from: from(by),
    ...changes,
    conversation: generalConversation(world),
    channelData: teamChannelData(world, channel, eventType),
  });
}

export function from(u: FakeUser): Json {
  return { id: u.id, name: u.name, aadObjectId: u.aadObjectId ?? `aad-${u.id}` };
}

export function mention(u: { id: string; name: string }): Json {
  return { type: "mention", mentioned: { id: u.id, name: u.name }, text: `<at>${u.name}</at>` };
}

export const activities = {
  teamInstall(world: TeamsWorld, installer: FakeUser, action = "add"): Json {
    return base(world, {
      type: "installationUpdate",
      id: `f:${messageId()}`,
      action,
      from: from(installer),
      conversation: generalConversation(world),
      channelData: teamChannelData(world, { id: world.generalId, name: "General" }),
    });
  },
  botAddedToTeam(world: TeamsWorld, by: FakeUser): Json {
    return teamUpdate(world, by, { membersAdded: [{ id: BOT.id }] }, "teamMemberAdded");
  },
  botRemovedFromTeam(world: TeamsWorld, by: FakeUser): Json {
    return teamUpdate(world, by, { membersRemoved: [{ id: BOT.id }] }, "teamMemberRemoved");
  },
  membersAdded(world: TeamsWorld, by: FakeUser, added: FakeUser[]): Json {
    const membersAdded = added.map((u) => ({ id: u.id, aadObjectId: u.aadObjectId ?? `aad-${u.id}` }));
    return teamUpdate(world, by, { membersAdded }, "teamMemberAdded");
  },
  channelCreated(world: TeamsWorld, by: FakeUser, channel: { id: string; name: string }): Json {
    return teamUpdate(world, by, {}, "channelCreated", channel);
  },
  personalInstall(world: TeamsWorld, user: FakeUser, action = "add"): Json {
    return base(world, {
      type: "installationUpdate",
      id: `f:${messageId()}`,
      action,
      from: from(user),
      conversation: {
        id: personalConversationId(user),
        conversationType: "personal",
        tenantId: world.tenantId,
      },
      channelData: { tenant: { id: world.tenantId } },
    });
  },
  /** A channel post (root of a thread) or, with `thread`, a reply in that thread. */
  channelMessage(
    world: TeamsWorld,
    author: FakeUser,
    html: string,
    opts: { id?: string; channelId?: string; thread?: string; mentions?: Json[]; timestamp?: string } = {},
  ): Json {
    const id = opts.id ?? messageId();
    const channelId = opts.channelId ?? world.generalId;
    return base(world, {
      type: "message",
      id,
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
      textFormat: "plain",
      text: html,
      from: from(author),
      conversation: {
        id: `${channelId};messageid=${opts.thread ?? id}`,
        conversationType: "channel",
        tenantId: world.tenantId,
        isGroup: true,
      },
      entities: opts.mentions ?? [],
      channelData: teamChannelData(world, { id: channelId }),
    });
  },
  messageEdit(
    world: TeamsWorld,
    author: FakeUser,
    id: string,
    html: string,
    opts: { channelId?: string; mentions?: Json[] } = {},
  ): Json {
    const channelId = opts.channelId ?? world.generalId;
    return base(world, {
      type: "messageUpdate",
      id,
      text: html,
      from: from(author),
      conversation: {
        id: `${channelId};messageid=${id}`,
        conversationType: "channel",
        tenantId: world.tenantId,
        isGroup: true,
      },
      entities: opts.mentions ?? [],
      channelData: teamChannelData(world, { id: channelId }, "editMessage"),
    });
  },
  messageDelete(world: TeamsWorld, author: FakeUser, id: string, opts: { channelId?: string } = {}): Json {
    const channelId = opts.channelId ?? world.generalId;
    return base(world, {
      type: "messageDelete",
      id,
      from: from(author),
      conversation: {
        id: `${channelId};messageid=${id}`,
        conversationType: "channel",
        tenantId: world.tenantId,
        isGroup: true,
      },
      channelData: teamChannelData(world, { id: channelId }, "softDeleteMessage"),
    });
  },
  personalMessage(
    world: TeamsWorld,
    user: FakeUser,
    text: string,
    opts: { id?: string; mentions?: Json[] } = {},
  ): Json {
    return base(world, {
      type: "message",
      id: opts.id ?? messageId(),
      text,
      from: from(user),
      conversation: {
        id: personalConversationId(user),
        conversationType: "personal",
        tenantId: world.tenantId,
      },
      entities: opts.mentions ?? [],
      channelData: { tenant: { id: world.tenantId } },
    });
  },
  /** An Action.Submit press: Teams posts `value` (button data + inputs) as a reply to the card. */
  cardSubmit(
    world: TeamsWorld,
    user: FakeUser,
    conversationId: string,
    cardActivityId: string,
    value: Json,
    opts: { channel?: boolean } = {},
  ): Json {
    return base(world, {
      type: "message",
      id: messageId(),
      from: from(user),
      replyToId: cardActivityId,
      value,
      conversation: opts.channel
        ? { id: conversationId, conversationType: "channel", tenantId: world.tenantId, isGroup: true }
        : { id: conversationId, conversationType: "personal", tenantId: world.tenantId },
      channelData: opts.channel
        ? teamChannelData(world, { id: conversationId.split(";")[0] ?? conversationId })
        : { tenant: { id: world.tenantId } },
    });
  },
};

export function personalConversationId(user: { id: string }): string {
  return `a:personal-${user.id}`;
}

// ---------------------------------------------------------------------------------------------
// The real server (startServer) with Teams on, against a fresh database and this fake.

export interface TeamsHarness {
  app: AppContext;
  server: RunningServer;
  platform: Platform;
  fake: FakeBotConnector;
  world: TeamsWorld;
  clock: ReturnType<typeof fixedClock>;
  /** POSTs an activity to /api/messages; resolves with the HTTP status once the turn is done. */
  post(activity: Json, headers?: Record<string, string>): Promise<number>;
  url: string;
  close(): Promise<void>;
}

export async function startTeamsHarness(
  provider: Provider,
  options: { env?: Record<string, string>; at?: string; tenantId?: string; calendars?: CalendarPort } = {},
): Promise<TeamsHarness> {
  const fake = await startFakeBotConnector();
  const db = await createEmptyDatabase(provider);
  const clock = fixedClock(options.at ?? "2026-03-04T11:00:00Z");
  const config = loadConfig({
    DATABASE_URL: db.url,
    LOG_LEVEL: "silent",
    TEAMS_ALLOW_UNAUTHENTICATED: "true",
    ...options.env,
  });
  const app = await openApp(config, {
    clock,
    ...(options.calendars ? { calendars: options.calendars } : {}),
  });
  const server = await startServer(app, { port: 0, host: "127.0.0.1", scheduler: false });
  const platform = server.platforms.find((p) => p.name === "teams");
  if (!platform) throw new Error("Teams platform did not start");
  const tenantId = options.tenantId ?? "tenant-acme";
  const world: TeamsWorld = {
    serviceUrl: fake.url,
    tenantId,
    teamId: "19:team-general@thread.tacv2",
    teamName: "Acme Sales",
    generalId: "19:team-general@thread.tacv2",
    now: () => clock.now(),
  };
  const url = `http://127.0.0.1:${server.port}/api/messages`;
  return {
    app,
    server,
    platform,
    fake,
    world,
    clock,
    url,
    post: async (activity, headers = {}) => {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(activity),
      });
      await res.text();
      return res.status;
    },
    close: async () => {
      await server.stop();
      await fake.close();
      await db.drop();
    },
  };
}
