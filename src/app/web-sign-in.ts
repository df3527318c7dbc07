// Use cases of dashboard sign-in: who an identity from Slack or Microsoft is here (their workspace
// and teammate row), and the one-time sign-in links the demo prints.
import { createHash, randomBytes } from "node:crypto";
import { administers } from "../core/admins.ts";
import type { Member, Workspace } from "../core/types.ts";
import { noteTeammate } from "./members.ts";
import type { AppDeps } from "./ports.ts";

export type SignInIdentity =
  /** Slack OpenID Connect: the team and the user in it. */
  | { provider: "slack"; teamId: string; userId: string; name?: string | null; email?: string | null }
  /** Microsoft identity platform: the tenant and the person's object id. */
  | { provider: "microsoft"; tenantId: string; objectId: string };

export type SignInResult =
  | { ok: true; workspace: Workspace; member: Member }
  | { ok: false; reason: "no-workspace" | "unknown-person" | "forgotten" };

/**
 * The workspace and teammate an identity signs in as. A Slack identity names its team, so a
 * teammate the bot hasn't seen yet gets their row (as a message from them would); a Microsoft one
 * must be someone the bot knows from Teams, since their Teams id can't be derived from it.
 */
export async function signInAs(deps: AppDeps, identity: SignInIdentity): Promise<SignInResult> {
  if (identity.provider === "slack") {
    const ws = await deps.store.findWorkspace("slack", identity.teamId);
    if (!ws || ws.uninstalledAt) return { ok: false, reason: "no-workspace" };
    const member =
      (await deps.store.getMember(ws.id, identity.userId)) ??
      (await noteTeammate(deps, ws, {
        platformUserId: identity.userId,
        displayName: identity.name ?? "",
        external: false,
        ...(identity.email ? { email: identity.email } : {}),
      }));
    return { ok: true, workspace: ws, member };
  }
  const ws = await deps.store.findWorkspace("teams", identity.tenantId);
  if (!ws || ws.uninstalledAt) return { ok: false, reason: "no-workspace" };
  const member = await deps.store.findMemberByAadObjectId(ws.id, identity.objectId);
  if (!member) return { ok: false, reason: "unknown-person" };
  return { ok: true, workspace: ws, member };
}

/** A signed-in person's workspace and row, as of now (the session names them by platform ids). */
export async function sessionMember(
  deps: AppDeps,
  platform: Workspace["platform"],
  externalId: string,
  platformUserId: string,
): Promise<{ workspace: Workspace; member: Member } | null> {
  const ws = await deps.store.findWorkspace(platform, externalId);
  if (!ws || ws.uninstalledAt) return null;
  const member = await deps.store.getMember(ws.id, platformUserId);
  return member ? { workspace: ws, member } : null;
}

/**
 * Whether a signed-in person administers their workspace. On Teams, `configured` (TEAMS_ADMIN_IDS)
 * may name them by Teams user id or by Entra object id (what an admin finds in the Azure portal);
 * the session knows only the former, so a configured id that isn't it is looked up as an object id.
 */
export async function viewerAdministers(
  deps: AppDeps,
  ws: Workspace,
  member: Member,
  configured: readonly string[],
): Promise<boolean> {
  const applies = ws.platform === "teams" ? configured : [];
  if (administers(member, applies)) return true;
  for (const id of applies) {
    if (id === member.platformUserId) continue;
    // The configured id is this member's object id: configured, so an admin.
    if ((await deps.store.findMemberByAadObjectId(ws.id, id))?.id === member.id) return true;
  }
  return false;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A one-time sign-in token for `member` (only its hash is stored), valid for `ttlMinutes`. */
export async function createSignInLink(
  deps: AppDeps,
  ws: Workspace,
  member: Member,
  ttlMinutes = 15,
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const expires = new Date(deps.clock.now().getTime() + ttlMinutes * 60_000);
  await deps.store.createSignInToken(ws.id, member.id, hashToken(token), expires);
  return token;
}

/** Uses a one-time token: the person it signs in, or null (unknown, expired or used before). */
export async function useSignInLink(
  deps: AppDeps,
  token: string,
): Promise<{ workspace: Workspace; member: Member } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const used = await deps.store.consumeSignInToken(hashToken(token), deps.clock.now());
  if (!used) return null;
  const ws = await deps.store.getWorkspace(used.workspaceId);
  const member = ws ? await deps.store.getMemberById(ws.id, used.memberId) : null;
  return ws && member && !ws.uninstalledAt ? { workspace: ws, member } : null;
}
