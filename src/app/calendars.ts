// Use cases of people's calendars: connect (an OAuth consent link with a signed, expiring,
// single-use state), the OAuth callback (tokens sealed at rest), disconnect (revoked at the
// provider, then deleted), and the Calendar port itself: a member's calendar with its tokens
// refreshed when they expire, and a revoked grant deleted and told to the person once.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { calendarConnectedDoc, calendarLostDoc } from "../core/messages/calendar.ts";
import type { MessageDoc } from "../core/messages/doc.ts";
import type { AppStore, CalendarGrantRecord, Clock } from "../core/ports.ts";
import { withoutTrailingSlashes } from "../core/text.ts";
import type { Member, Workspace } from "../core/types.ts";
import {
  CalendarError,
  type CalendarPort,
  type CalendarProviderId,
  type MemberCalendar,
} from "./calendar-port.ts";
import {
  type CalendarApi,
  type CalendarProvider,
  type TokenSet,
  Unauthorized,
} from "./calendar-providers.ts";
import type { Sealer } from "./installations.ts";

/** How long a consent link works. */
export const CONNECT_STATE_TTL_MS = 15 * 60_000;
/** Refresh an access token this long before it expires. */
const REFRESH_MARGIN_MS = 60_000;
const STATE_KEY_PREFIX = "calendar-state:";

export const CALLBACK_PATH = "/calendar/oauth";
export const callbackPath = (provider: CalendarProviderId) => `${CALLBACK_PATH}/${provider}`;

export interface CalendarSetup {
  /** The providers with credentials; empty: calendars aren't configured. */
  providers: CalendarProvider[];
  /** The server's external base URL, for the redirect back; null: connecting can't work. */
  publicUrl: string | null;
  /** Seals tokens at rest (TokenCipher). */
  sealer: Sealer;
  /** HMAC key for the OAuth state (derived from TOKEN_ENCRYPTION_KEY, never the key itself). */
  stateKey: Buffer;
  /** Wall clock for token expiry (providers state it in real time); default Date.now. */
  now?: () => number;
}

/** Sends one message to a member (their DM); set once the chat platforms exist. */
export type MemberNotifier = (ws: Workspace, member: Member, doc: MessageDoc) => Promise<void>;

interface CalendarDeps {
  store: AppStore;
  clock: Clock;
}

const sealedTokens = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().nullable(),
  expiresAt: z.number().nullable(),
});

const statePayload = z.object({
  w: z.string().min(1),
  m: z.string().min(1),
  p: z.enum(["google", "microsoft"]),
  e: z.number(),
  n: z.string().min(8),
});

export type ConnectResult =
  | { ok: true; links: Array<{ provider: CalendarProviderId; url: string }> }
  | { ok: false; reason: "not-configured" | "no-public-url" | "disabled" | "unknown-provider" };

export type CallbackResult =
  | {
      ok: true;
      provider: CalendarProviderId;
      accountEmail: string | null;
      member: Member;
      workspace: Workspace;
    }
  | {
      ok: false;
      reason: "bad-state" | "expired" | "used" | "denied" | "failed" | "disabled";
      detail?: string;
    };

/** What the commands and the personal view need besides the port. */
export interface CalendarConnections {
  providers(): CalendarProviderId[];
  connect(ws: Workspace, member: Member, provider?: CalendarProviderId | null): ConnectResult;
  disconnect(
    ws: Workspace,
    member: Member,
  ): Promise<{ provider: CalendarProviderId; accountEmail: string | null } | null>;
  status(
    ws: Workspace,
    member: Member,
  ): Promise<{ provider: CalendarProviderId; accountEmail: string | null } | null>;
  disconnectWorkspace(ws: Workspace): Promise<number>;
}

export class Calendars implements CalendarPort, CalendarConnections {
  private notifier: MemberNotifier | null = null;
  private readonly byId = new Map<CalendarProviderId, CalendarProvider>();
  private readonly now: () => number;

  constructor(
    private readonly deps: CalendarDeps,
    private readonly setup: CalendarSetup,
  ) {
    for (const p of setup.providers) this.byId.set(p.id, p);
    this.now = setup.now ?? Date.now;
  }

  /** Where the one "your calendar is no longer connected" DM (and "connected") goes. */
  setNotifier(notify: MemberNotifier | null): void {
    this.notifier = notify;
  }

  providers(): CalendarProviderId[] {
    return [...this.byId.keys()];
  }

  // ---- connect / callback / disconnect ----

  /** Consent links for the member: one per configured provider, or the one asked for. */
  connect(ws: Workspace, member: Member, provider?: CalendarProviderId | null): ConnectResult {
    if (this.byId.size === 0) return { ok: false, reason: "not-configured" };
    if (!ws.settings.calendarsEnabled) return { ok: false, reason: "disabled" };
    if (!this.setup.publicUrl) return { ok: false, reason: "no-public-url" };
    const wanted = provider ? [provider] : this.providers();
    const links: Array<{ provider: CalendarProviderId; url: string }> = [];
    for (const id of wanted) {
      const p = this.byId.get(id);
      if (!p) return { ok: false, reason: "unknown-provider" };
      links.push({
        provider: id,
        url: p.authorizationUrl(this.signState(ws, member, id), this.redirectUri(id)),
      });
    }
    return { ok: true, links };
  }

  redirectUri(provider: CalendarProviderId): string {
    return `${withoutTrailingSlashes(this.setup.publicUrl ?? "")}${callbackPath(provider)}`;
  }

  /** The provider sent the person back: check the state, take the code, store the sealed tokens. */
  async complete(
    provider: CalendarProviderId,
    params: { state?: string | null; code?: string | null; error?: string | null },
  ): Promise<CallbackResult> {
    const state = this.readState(params.state ?? "");
    if (!state || state.p !== provider) return { ok: false, reason: "bad-state" };
    if (state.e < this.deps.clock.now().getTime()) return { ok: false, reason: "expired" };
    // Single use: the key goes in the durable de-duplication table, so a replayed or shared link
    // works once across replicas. Nothing but the nonce is kept, and only until events are pruned.
    const key = `${STATE_KEY_PREFIX}${state.n}`;
    if (!(await this.deps.store.recordEvent(key, state.w, ""))) return { ok: false, reason: "used" };
    await this.deps.store.finishEvent(key, { ok: true });
    if (params.error) return { ok: false, reason: "denied", detail: params.error.slice(0, 100) };
    if (!params.code) return { ok: false, reason: "bad-state" };
    const ws = await this.deps.store.getWorkspace(state.w);
    const member = ws ? await this.deps.store.getMemberById(ws.id, state.m) : null;
    const p = this.byId.get(provider);
    if (!ws || !member || !p || ws.uninstalledAt) return { ok: false, reason: "bad-state" };
    if (!ws.settings.calendarsEnabled) return { ok: false, reason: "disabled" };
    let exchanged: { tokens: TokenSet; accountEmail: string | null };
    try {
      exchanged = await p.exchangeCode(params.code, this.redirectUri(provider));
    } catch (err) {
      return { ok: false, reason: "failed", detail: err instanceof Error ? err.message : String(err) };
    }
    // Connecting again (another account, the other provider) replaces the old grant: revoke it.
    const old = await this.deps.store.getCalendarGrant(ws.id, member.id);
    await this.deps.store.saveCalendarGrant(ws.id, member.id, {
      provider,
      accountEmail: exchanged.accountEmail,
      dataEnc: this.seal(exchanged.tokens),
    });
    if (old) await this.revokeQuietly(old);
    await this.tell(ws, member, calendarConnectedDoc(provider, exchanged.accountEmail));
    return { ok: true, provider, accountEmail: exchanged.accountEmail, member, workspace: ws };
  }

  /** The member's connected calendar, if any (for the personal view and the commands). */
  async status(
    ws: Workspace,
    member: Member,
  ): Promise<{ provider: CalendarProviderId; accountEmail: string | null } | null> {
    const grant = await this.deps.store.getCalendarGrant(ws.id, member.id);
    return grant ? { provider: grant.provider, accountEmail: grant.accountEmail } : null;
  }

  /** Revokes the grant at the provider (best effort) and deletes it. Null when none was connected. */
  async disconnect(
    ws: Workspace,
    member: Member,
  ): Promise<{ provider: CalendarProviderId; accountEmail: string | null } | null> {
    const grant = await this.deps.store.getCalendarGrant(ws.id, member.id);
    if (!grant) return null;
    // Deleted first: whatever the provider answers, we no longer hold the tokens.
    await this.deps.store.deleteCalendarGrant(ws.id, member.id, grant.id);
    await this.revokeQuietly(grant);
    return { provider: grant.provider, accountEmail: grant.accountEmail };
  }

  /** The workspace is going (uninstall): every grant is revoked at its provider and deleted. */
  async disconnectWorkspace(ws: Workspace): Promise<number> {
    const grants = await this.deps.store.listCalendarGrants(ws.id);
    for (const grant of grants) {
      await this.deps.store.deleteCalendarGrant(ws.id, grant.memberId, grant.id);
      await this.revokeQuietly(grant);
    }
    return grants.length;
  }

  // ---- the port ----

  async forMember(ws: Workspace, member: Member): Promise<MemberCalendar | null> {
    if (!ws.settings.calendarsEnabled) return null;
    const grant = await this.deps.store.getCalendarGrant(ws.id, member.id);
    if (!grant) return null;
    const provider = this.byId.get(grant.provider);
    // A provider no longer configured: the grant stays (it works again when configured back).
    if (!provider) return null;
    const run = <T>(fn: (api: CalendarApi) => Promise<T>) => this.withToken(ws, member, grant, provider, fn);
    return {
      provider: grant.provider,
      busy: (from, to) => run((api) => api.busy(from, to)),
      createEvent: (draft) => run((api) => api.createEvent(draft)),
      pastEvents: (from, to) => run((api) => api.pastEvents(from, to)),
    };
  }

  /**
   * One call with a valid access token: refreshed first when it is about to expire, and once more
   * when the provider refuses it (401). A grant that can't be refreshed is revoked: deleted, told.
   */
  private async withToken<T>(
    ws: Workspace,
    member: Member,
    grant: CalendarGrantRecord,
    provider: CalendarProvider,
    fn: (api: CalendarApi) => Promise<T>,
  ): Promise<T> {
    try {
      // Re-read: another call (or replica) may have refreshed since forMember.
      const current = (await this.deps.store.getCalendarGrant(ws.id, member.id)) ?? null;
      if (!current || current.id !== grant.id) throw new CalendarError({ kind: "revoked" });
      let tokens = this.unseal(current);
      let refreshed = false;
      if (tokens.expiresAt !== null && tokens.expiresAt - REFRESH_MARGIN_MS <= this.now()) {
        tokens = await this.refresh(current, provider, tokens);
        refreshed = true;
      }
      try {
        return await fn(provider.api(tokens.accessToken));
      } catch (err) {
        if (!(err instanceof Unauthorized)) throw err;
        if (refreshed) throw new CalendarError({ kind: "revoked" });
        tokens = await this.refresh(current, provider, tokens);
        try {
          return await fn(provider.api(tokens.accessToken));
        } catch (again) {
          throw again instanceof Unauthorized ? new CalendarError({ kind: "revoked" }) : again;
        }
      }
    } catch (err) {
      if (err instanceof CalendarError && err.failure.kind === "revoked") await this.lost(ws, member, grant);
      if (err instanceof CalendarError) throw err;
      throw new CalendarError({
        kind: "unavailable",
        retryAfterMs: null,
        detail: (err instanceof Error ? err.message : String(err)).slice(0, 200),
      });
    }
  }

  private async refresh(
    grant: CalendarGrantRecord,
    provider: CalendarProvider,
    tokens: TokenSet,
  ): Promise<TokenSet> {
    if (!tokens.refreshToken) throw new CalendarError({ kind: "revoked" });
    const next = await provider.refresh(tokens.refreshToken);
    await this.deps.store.updateCalendarGrantData(grant.workspaceId, grant.id, this.seal(next));
    return next;
  }

  /** The grant stopped working: delete it; whoever deleted it tells the person, once. */
  private async lost(ws: Workspace, member: Member, grant: CalendarGrantRecord): Promise<void> {
    if (await this.deps.store.deleteCalendarGrant(ws.id, member.id, grant.id))
      await this.tell(ws, member, calendarLostDoc(grant.provider));
  }

  private async tell(ws: Workspace, member: Member, doc: MessageDoc): Promise<void> {
    // A DM that fails must not turn a calendar call (or the callback page) into an error.
    await this.notifier?.(ws, member, doc).catch(() => {});
  }

  private async revokeQuietly(grant: CalendarGrantRecord): Promise<void> {
    const provider = this.byId.get(grant.provider);
    if (!provider) return;
    try {
      await provider.revoke(this.unseal(grant));
    } catch {
      // The tokens are deleted either way; a provider that can't be reached keeps a grant nobody holds.
    }
  }

  // ---- sealing and the state ----

  private seal(tokens: TokenSet): string {
    return this.setup.sealer.encrypt(JSON.stringify(tokens));
  }

  private unseal(grant: CalendarGrantRecord): TokenSet {
    try {
      const parsed = sealedTokens.safeParse(JSON.parse(this.setup.sealer.decrypt(grant.dataEnc)));
      if (parsed.success) return parsed.data;
    } catch {
      // A key that changed or a damaged row: the grant can't be used, like a revoked one.
    }
    throw new CalendarError({ kind: "revoked" });
  }

  private signState(ws: Workspace, member: Member, provider: CalendarProviderId): string {
    const payload = Buffer.from(
      JSON.stringify({
        w: ws.id,
        m: member.id,
        p: provider,
        e: this.deps.clock.now().getTime() + CONNECT_STATE_TTL_MS,
        n: randomBytes(16).toString("base64url"),
      }),
    ).toString("base64url");
    return `${payload}.${this.mac(payload)}`;
  }

  private readState(state: string): z.infer<typeof statePayload> | null {
    if (state.length > 1000) return null;
    const [payload, mac] = state.split(".");
    if (!payload || !mac) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const parsed = statePayload.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.setup.stateKey).update(payload).digest("base64url");
  }
}
