import type { webApi } from "@slack/bolt";
import { z } from "zod";
import { BoundedMap } from "../../core/bounded-map.ts";
import type { PlatformUserRef } from "../../core/types.ts";
import { type HomeTeam, type SlackUserLike, toUserRef } from "./identity.ts";

/** People kept per replica (a users.info answer each). */
const MAX_USERS = 50_000;

// users.info with a per-process cache. Every message event needs its author (and every <@U…> in
// it) as a PlatformUserRef; without a cache each message would cost a Web API call per person.
// Entries expire so renamed users, new admins and changed time zones are picked up.

export const slackUserSchema = z
  .object({
    id: z.string(),
    team_id: z.string().optional(),
    name: z.string().optional(),
    real_name: z.string().optional(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    is_app_user: z.boolean().optional(),
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    is_primary_owner: z.boolean().optional(),
    is_restricted: z.boolean().optional(),
    is_ultra_restricted: z.boolean().optional(),
    is_stranger: z.boolean().optional(),
    tz: z
      .string()
      .nullish()
      .transform((v) => v ?? undefined),
    enterprise_user: z.object({ enterprise_id: z.string().optional() }).loose().optional(),
    profile: z
      .object({
        display_name: z.string().optional(),
        real_name: z.string().optional(),
        email: z.string().optional(),
        title: z.string().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export type ResolvedUser = ReturnType<typeof toUserRef> & { raw: SlackUserLike };

interface Entry {
  user: SlackUserLike | null;
  expires: number;
}

export class SlackUsers {
  /** Bounded: a replica serving thousands of workspaces keeps the people it met most recently. */
  private readonly cache = new BoundedMap<string, Entry>(MAX_USERS);
  private readonly inFlight = new Map<string, Promise<{ user: SlackUserLike | null; fresh: boolean }>>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The user as seen from `home`; null when Slack doesn't know them. `fresh` is true when this
   * call fetched them (callers use it to refresh the member row once per TTL, not per message).
   */
  async resolve(
    client: webApi.WebClient,
    home: HomeTeam,
    userId: string,
  ): Promise<{ user: ResolvedUser | null; fresh: boolean }> {
    const key = cacheKey(home, userId);
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now())
      return { user: cached.user && this.toRef(cached.user, home), fresh: false };
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetch(client, userId)
        .then((user) => {
          this.cache.set(key, { user, expires: this.now() + this.ttlMs });
          return { user, fresh: true };
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const { user, fresh } = await pending;
    return { user: user && this.toRef(user, home), fresh };
  }

  /** A user as users.list just told us, so their first message costs no users.info call. */
  prime(home: HomeTeam, user: SlackUserLike & { id: string }): void {
    this.cache.set(cacheKey(home, user.id), { user, expires: this.now() + this.ttlMs });
  }

  clear(): void {
    this.cache.clear();
  }

  /** Drops cached users of one team (after an uninstall). */
  forget(home: HomeTeam): void {
    const prefix = cacheKey(home, "");
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  private async fetch(client: webApi.WebClient, userId: string): Promise<SlackUserLike | null> {
    try {
      const res = await client.users.info({ user: userId });
      const parsed = slackUserSchema.safeParse(res.user);
      return parsed.success ? parsed.data : null;
    } catch (err) {
      if (isSlackError(err, "user_not_found")) return null;
      throw err;
    }
  }

  private toRef(user: SlackUserLike, home: HomeTeam): ResolvedUser {
    return { ...toUserRef(user, home), raw: user };
  }
}

function cacheKey(home: HomeTeam, userId: string): string {
  return `${home.enterpriseId ?? ""}:${home.teamId ?? ""}:${userId}`;
}

export function isSlackError(err: unknown, code: string): boolean {
  const data = (err as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === "string" && data.error === code;
}

/** A stand-in when users.info can't say: the event's team fields still tell insiders from outsiders. */
export function fallbackRef(userId: string, home: HomeTeam, userTeam?: string): PlatformUserRef {
  return {
    platformUserId: userId,
    displayName: userId,
    external: Boolean(userTeam && home.teamId && userTeam !== home.teamId),
  };
}
