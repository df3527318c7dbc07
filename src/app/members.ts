// Use case: know a teammate. Every path that meets a platform user who is on the team (an event,
// a command, a click, a roster sync) upserts their member row here, with what the platform said.
import type { Member, PlatformUserRef, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";

export type TeammateRef = PlatformUserRef & {
  tz?: string | null;
  isAdmin?: boolean;
  isBot?: boolean;
  /** Teams: the Entra object id, so Microsoft sign-in (the dashboard) can find the teammate. */
  aadObjectId?: string | null;
};

export async function upsertTeammate(deps: AppDeps, ws: Workspace, ref: TeammateRef): Promise<Member> {
  return deps.store.upsertMember(ws.id, {
    platformUserId: ref.platformUserId,
    displayName: ref.displayName,
    // The full name matters: detection must never take a teammate's real name for a contact.
    ...(ref.realName ? { realName: ref.realName } : {}),
    ...(ref.handle ? { handle: ref.handle } : {}),
    ...(ref.email !== undefined ? { email: ref.email } : {}),
    ...(ref.tz !== undefined ? { tz: ref.tz } : {}),
    ...(ref.isAdmin !== undefined ? { isAdmin: ref.isAdmin } : {}),
    ...(ref.isBot !== undefined ? { isBot: ref.isBot } : {}),
    ...(ref.aadObjectId ? { aadObjectId: ref.aadObjectId } : {}),
  });
}

/**
 * A teammate met through the platform: their row is upserted and, when they are new, the tracker's
 * cache is dropped, because a new teammate's name must stop looking like an outside contact now.
 */
export async function noteTeammate(deps: AppDeps, ws: Workspace, ref: TeammateRef): Promise<Member> {
  const known = await deps.store.getMember(ws.id, ref.platformUserId);
  const member = await upsertTeammate(deps, ws, ref);
  if (!known) deps.tracker.invalidate(ws.id);
  return member;
}

/** Every member row of the workspace (teammates, bots, opted-out tombstones). */
export function listMembers(deps: AppDeps, ws: Workspace): Promise<Member[]> {
  return deps.store.listMembers(ws.id);
}
