// Use cases that find (or create) the workspace and the member an adapter is acting for, and
// remember where to reach a member. Adapters call these instead of reading the store.
import type { WorkspaceInput } from "../core/ports.ts";
import { isValidTimeZone } from "../core/time.ts";
import type { Member, Platform, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";

export function findWorkspace(
  deps: AppDeps,
  platform: Platform,
  externalId: string,
): Promise<Workspace | null> {
  return deps.store.findWorkspace(platform, externalId);
}

/** The workspace row, created (or revived after an uninstall) when it doesn't exist. */
export function ensureWorkspace(deps: AppDeps, input: WorkspaceInput): Promise<Workspace> {
  return deps.store.upsertWorkspace(input);
}

/**
 * Sets the workspace's zone from an admin's or installer's profile, only while it is still the
 * default (UTC), read fresh. Updates `ws` in place; true when it changed.
 */
export async function adoptTimezone(deps: AppDeps, ws: Workspace, tz: string): Promise<boolean> {
  if (ws.timezone !== "UTC" || tz === "UTC" || !isValidTimeZone(tz)) return false;
  const current = await deps.store.getWorkspace(ws.id);
  if (current?.timezone !== "UTC") return false;
  await deps.store.updateWorkspace(ws.id, { timezone: tz });
  ws.timezone = tz;
  return true;
}

/** Where the weekly digest goes (null: nowhere until an admin picks a channel). */
export function setDigestChannel(deps: AppDeps, ws: Workspace, channel: string | null): Promise<Workspace> {
  return deps.store.updateWorkspace(ws.id, { digestChannel: channel });
}

export function findMember(deps: AppDeps, ws: Workspace, platformUserId: string): Promise<Member | null> {
  return deps.store.getMember(ws.id, platformUserId);
}

/** The platform's reference to a member's DM (Slack channel id, Teams ConversationReference JSON). */
export async function saveDmRef(
  deps: AppDeps,
  ws: Workspace,
  member: Member,
  ref: string | null,
): Promise<void> {
  await deps.store.updateMember(ws.id, member.id, { dmRef: ref });
}
