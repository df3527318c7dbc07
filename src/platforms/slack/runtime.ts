import type { AuthorizeResult, webApi } from "@slack/bolt";
import type { Inbox } from "../../app/inbox.ts";
import type { TeammateLookup } from "../../app/ports.ts";
import type { BackgroundWork } from "../../background.ts";
import { administers } from "../../core/admins.ts";
import { BoundedMap } from "../../core/bounded-map.ts";
import type { Member, PlatformUserRef, Workspace } from "../../core/types.ts";
import type { Logger } from "../../log.ts";
import type { AdapterApp } from "../types.ts";
import { SlackChat } from "./chat.ts";
import { type HomeTeam, toUserRef } from "./identity.ts";
import type { SlackInstallationStore } from "./installation-store.ts";
import { fallbackRef, type ResolvedUser, SlackUsers, slackUserSchema } from "./users.ts";

// What every Slack listener needs: the use cases (never the store), the workspace an event belongs to,
// people resolved through users.info, and Web API clients per workspace token.

/** The part of Bolt's listener context we read. */
export type SlackContext = Pick<AuthorizeResult, "teamId" | "enterpriseId" | "botUserId" | "botId"> & {
  isEnterpriseInstall?: boolean;
};

/** How long events may use a workspace row they read (settings reach tracking within this). */
const EVENT_WORKSPACE_TTL_MS = 5_000;
/** Web API clients kept per replica (two per workspace token: with and without retries). */
const MAX_CLIENTS = 500;

export type SlackMode =
  | { kind: "single"; token: string }
  | { kind: "oauth"; installations: SlackInstallationStore };

/** A person as the listeners use them: the core's ref plus what Slack told us. */
export type SlackPerson = PlatformUserRef & { tz: string | null; isAdmin: boolean; isBot: boolean };
export type SlackActor = { member: Member; person: SlackPerson; administers: boolean };

export class SlackRuntime {
  readonly users: SlackUsers;
  readonly chat: SlackChat;
  /** The durable inbox (app/inbox.ts): events, and the once-only runs of clicks and submissions. */
  readonly inbox: Inbox;
  /** Most recently used clients: a replica serving thousands of workspaces holds only the busy ones. */
  private readonly clients = new BoundedMap<string, webApi.WebClient>(MAX_CLIENTS);
  private readonly eventWorkspaces = new Map<string, { ws: Workspace; until: number }>();

  constructor(
    readonly app: AdapterApp,
    readonly background: BackgroundWork,
    readonly log: Logger,
    readonly mode: SlackMode,
    /** `once`: a client that never resends a request Slack may have accepted (see index.ts). */
    private readonly makeClient: (token: string, once: boolean) => webApi.WebClient,
  ) {
    this.users = new SlackUsers();
    this.chat = new SlackChat(this);
    this.inbox = app.service.inbox(log, "slack:");
  }

  get service() {
    return this.app.service;
  }

  now(): Date {
    return this.app.clock.now();
  }

  home(ctx: SlackContext): HomeTeam {
    return { teamId: ctx.teamId, enterpriseId: ctx.enterpriseId };
  }

  /** The Workspace row's external id: the org for org-wide installs, else the team. */
  externalId(ctx: SlackContext): string | null {
    return (
      (ctx.isEnterpriseInstall ? ctx.enterpriseId : ctx.teamId) ?? ctx.teamId ?? ctx.enterpriseId ?? null
    );
  }

  /**
   * The workspace an event or command belongs to. With a single bot token the row is created on
   * first contact; with OAuth it exists from the install (no row: not installed, ignore).
   */
  async workspaceFor(ctx: SlackContext): Promise<Workspace | null> {
    const externalId = this.externalId(ctx);
    if (!externalId) return null;
    const ws = await this.service.findWorkspace("slack", externalId);
    if (ws || this.mode.kind === "oauth") return ws;
    return this.service.ensureWorkspace({ platform: "slack", externalId });
  }

  /**
   * workspaceFor for the Events API, read at most every few seconds per workspace: it is one query
   * per event otherwise, the inbox needs only the id, and message tracking reads settings through
   * the tracker's own cache anyway (which rebuilds when the settings it is given change). Commands,
   * actions and views read the row fresh. A workspace that isn't installed is never cached.
   */
  async eventWorkspace(ctx: SlackContext): Promise<Workspace | null> {
    const externalId = this.externalId(ctx);
    if (!externalId) return null;
    const hit = this.eventWorkspaces.get(externalId);
    // A copy each time: listeners may update theirs (adoptTimezone) without touching the cached row.
    if (hit && hit.until > Date.now()) return { ...hit.ws };
    const ws = await this.workspaceFor(ctx);
    if (!ws) {
      this.eventWorkspaces.delete(externalId);
      return null;
    }
    this.eventWorkspaces.set(externalId, { ws, until: Date.now() + EVENT_WORKSPACE_TTL_MS });
    return { ...ws };
  }

  /** After an uninstall on this replica: the installations it read (tokens) are not used again. */
  forgetInstallations(): void {
    if (this.mode.kind === "oauth") this.mode.installations.forget();
  }

  /** After an uninstall or a settings change on this replica: the next event reads the row again (all rows without ctx). */
  forgetEventWorkspace(ctx?: SlackContext): void {
    if (!ctx) {
      this.eventWorkspaces.clear();
      return;
    }
    const externalId = this.externalId(ctx);
    if (externalId) this.eventWorkspaces.delete(externalId);
  }

  /** A Web API client for one bot token (pooled: the WebClient queues and rate-limits per instance). */
  client(token: string, once = false): webApi.WebClient {
    const key = `${once ? "once" : "retry"}:${token}`;
    let c = this.clients.get(key);
    if (!c) {
      c = this.makeClient(token, once);
      this.clients.set(key, c);
    }
    return c;
  }

  async botToken(ws: Workspace): Promise<string> {
    if (this.mode.kind === "single") return this.mode.token;
    const installation = await this.mode.installations.forWorkspace(ws.id);
    const token = installation?.bot?.token;
    if (!token) throw new Error(`Slack workspace ${ws.externalId} is not installed`);
    return token;
  }

  async clientFor(ws: Workspace, once = false): Promise<webApi.WebClient> {
    return this.client(await this.botToken(ws), once);
  }

  /**
   * A Slack user as a PlatformUserRef. On a fresh users.info lookup, a teammate's member row is
   * refreshed (name, time zone, admin flag) and an admin's time zone becomes the workspace's if
   * none is set yet. When Slack can't say, the event's team field still separates outsiders.
   */
  async person(
    client: webApi.WebClient,
    ws: Workspace,
    home: HomeTeam,
    userId: string,
    userTeam?: string,
  ): Promise<SlackPerson> {
    let resolved: { user: ResolvedUser | null; fresh: boolean };
    try {
      resolved = await this.users.resolve(client, home, userId);
    } catch (err) {
      this.log.warn("users.info failed", { user: userId, err });
      resolved = { user: null, fresh: false };
    }
    const { user, fresh } = resolved;
    if (!user) {
      const ref = fallbackRef(userId, home.enterpriseId ? { teamId: undefined } : home, userTeam);
      return { ...ref, tz: null, isAdmin: false, isBot: false };
    }
    const { raw: _raw, ...person } = user;
    if (fresh && !person.external) await this.noteTeammate(ws, person);
    return person;
  }

  /** Upserts a teammate's member row from what Slack told us. */
  async noteTeammate(ws: Workspace, person: SlackPerson): Promise<Member> {
    // A new teammate drops the tracker's cache (their name must stop looking like a contact now).
    const member = await this.service.noteTeammate(ws, person);
    if (person.isAdmin && person.tz) await this.adoptTimezone(ws, person.tz);
    return member;
  }

  /** Sets the workspace zone from an admin's or installer's profile, only while it is still the default. */
  async adoptTimezone(ws: Workspace, tz: string): Promise<void> {
    if (!(await this.service.adoptTimezone(ws, tz))) return;
    this.log.info("workspace time zone set from an admin's profile", { workspace: ws.externalId, tz });
  }

  /**
   * Every current teammate from users.list, outsiders listed there (Slack Connect, guests) as
   * contacts by identity (app/roster.ts says why). Runs once per start / install.
   */
  async syncMembers(ws: Workspace, client: webApi.WebClient, home: HomeTeam): Promise<number> {
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
      const people: SlackPerson[] = [];
      for (const raw of page.members ?? []) {
        const user = slackUserSchema.safeParse(raw);
        if (!user.success || user.data.deleted) continue;
        this.users.prime(home, user.data);
        people.push(toUserRef(user.data, home));
      }
      const synced = await this.service.syncRoster(ws, people, { outsiders: "contacts" });
      if (synced.adoptedTimezone)
        this.log.info("workspace time zone set from an admin's profile", {
          workspace: ws.externalId,
          tz: synced.adoptedTimezone,
        });
      count += people.length;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return count;
  }

  /**
   * A user picked as a lunch guest, strictly: only someone users.info knows as a teammate (not a
   * bot) becomes a member. Unlike person(), an unknown id is refused rather than given a stand-in.
   */
  async teammate(
    client: webApi.WebClient,
    ws: Workspace,
    home: HomeTeam,
    userId: string,
  ): Promise<TeammateLookup> {
    let user: ResolvedUser | null;
    try {
      ({ user } = await this.users.resolve(client, home, userId));
    } catch (err) {
      this.log.warn("users.info failed", { user: userId, err });
      return { ok: false, reason: "unavailable" };
    }
    if (!user || user.raw.deleted) return { ok: false, reason: "unknown" };
    const { raw: _raw, ...person } = user;
    if (person.external) return { ok: false, reason: "external", name: person.displayName };
    if (person.isBot) return { ok: false, reason: "bot", name: person.displayName };
    const member = (await this.service.findMember(ws, userId)) ?? (await this.noteTeammate(ws, person));
    return { ok: true, member };
  }

  /**
   * The member behind a command or click; null for people outside the workspace. `administers`:
   * may they run admin commands and answer for the team (core/admins.ts: Slack admins and owners,
   * and whoever installed the app), read from the row person() has just refreshed.
   */
  async actor(
    client: webApi.WebClient,
    ws: Workspace,
    home: HomeTeam,
    userId: string,
  ): Promise<SlackActor | null> {
    const person = await this.person(client, ws, home, userId);
    if (person.external) return null;
    // person() refreshed the row on a fresh lookup; a cached lookup still needs the row to exist.
    const member = (await this.service.findMember(ws, userId)) ?? (await this.noteTeammate(ws, person));
    return { member, person, administers: administers(member) };
  }
}
