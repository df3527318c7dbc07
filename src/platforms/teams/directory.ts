// Who a Teams user is: name, email, and whether they are outside the organisation. Activities only
// carry an id and a display name, so the roster is asked (TeamsInfo.getMember → Bot Connector
// GET /v3/conversations/{team-or-chat}/members/{user}). Answers are cached per process: a busy
// channel would otherwise cost one connector call per message.
import { TeamsInfo, type TurnContext } from "botbuilder";
import { z } from "zod";
import { BoundedMap } from "../../core/bounded-map.ts";
import type { PlatformUserRef } from "../../core/types.ts";
import type { Logger } from "../../log.ts";
import { isBotAccount, type TeamsAccount } from "./activity.ts";

const memberSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  givenName: z.string().nullish(),
  surname: z.string().nullish(),
  email: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
  aadObjectId: z.string().nullish(),
  tenantId: z.string().nullish(),
  userRole: z.string().nullish(),
});
export type TeamsMember = z.infer<typeof memberSchema>;

export interface TeamsUser extends PlatformUserRef {
  aadObjectId: string | null;
  isBot: boolean;
  /** False when the roster could not be asked and the answer is a guess from the activity. */
  verified: boolean;
}

interface Entry {
  user: TeamsUser;
  expires: number;
}

export class TeamsDirectory {
  private readonly cache: BoundedMap<string, Entry>;

  constructor(
    private readonly log: Logger,
    private readonly ttlMs = 10 * 60_000,
    maxEntries = 10_000,
  ) {
    this.cache = new BoundedMap(maxEntries);
  }

  /**
   * The user as the tenant `tenantId` sees them. Guests (`userRole: guest`), anonymous users and
   * members of another tenant (shared channels, federated chats) are external.
   */
  async lookup(
    ctx: TurnContext,
    tenantId: string,
    account: Pick<TeamsAccount, "id" | "name" | "aadObjectId" | "role">,
  ): Promise<TeamsUser> {
    const key = `${tenantId}\u0000${account.id}`;
    const hit = this.cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.user;
    if (isBotAccount(account)) {
      return this.remember(key, guess(account, true), this.ttlMs);
    }
    try {
      const raw: unknown = await TeamsInfo.getMember(ctx, account.id);
      const parsed = memberSchema.safeParse(raw);
      if (!parsed.success) throw new Error("unexpected member shape");
      return this.remember(key, fromMember(parsed.data, tenantId, account), this.ttlMs);
    } catch (err) {
      // Without the roster the user is taken as a teammate; cached briefly so a flaky connector
      // is retried soon, but a message burst does not hammer it.
      this.log.warn("teams member lookup failed", { userId: account.id, err: (err as Error).message });
      return this.remember(key, guess(account, false), 60_000);
    }
  }

  /** Seeds the cache from a roster page (install time), so the first messages cost no lookups. */
  prime(tenantId: string, member: TeamsMember): TeamsUser {
    const user = fromMember(member, tenantId, {
      id: member.id,
      name: member.name ?? "",
      aadObjectId: member.aadObjectId ?? null,
    });
    return this.remember(`${tenantId}\u0000${member.id}`, user, this.ttlMs);
  }

  parseMember(raw: unknown): TeamsMember | null {
    const parsed = memberSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  }

  clear(): void {
    this.cache.clear();
  }

  private remember(key: string, user: TeamsUser, ttl: number): TeamsUser {
    this.cache.set(key, { user, expires: Date.now() + ttl });
    return user;
  }
}

function fromMember(
  m: TeamsMember,
  tenantId: string,
  account: Pick<TeamsAccount, "id" | "name" | "aadObjectId">,
): TeamsUser {
  const role = (m.userRole ?? "").toLowerCase();
  const otherTenant = !!m.tenantId && m.tenantId !== tenantId;
  const fullName = [m.givenName, m.surname].filter(Boolean).join(" ");
  const email = m.email ?? (m.userPrincipalName?.includes("@") ? m.userPrincipalName : null) ?? null;
  return {
    platformUserId: account.id,
    displayName: m.name || account.name || "",
    realName: fullName || null,
    email,
    external: role === "guest" || role === "anonymous" || otherTenant,
    organization: null,
    aadObjectId: m.aadObjectId ?? account.aadObjectId ?? null,
    isBot: false,
    verified: true,
  };
}

function guess(account: Pick<TeamsAccount, "id" | "name" | "aadObjectId">, isBot: boolean): TeamsUser {
  return {
    platformUserId: account.id,
    displayName: account.name || "",
    realName: null,
    email: null,
    external: false,
    organization: null,
    aadObjectId: account.aadObjectId ?? null,
    isBot,
    verified: isBot,
  };
}
