// Use cases of (un)installing: remembering who installed, deleting a workspace's data when the app
// is removed, and forgetting a member's DM when they remove the app from their personal chat.
import type { Member, Platform, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";

/**
 * `member` installed the app here, so they administer it (core/admins.ts) whatever the platform
 * says. A reinstall by someone else marks them too; earlier installers keep the mark (they set the
 * app up once and nobody took it from them). An uninstall deletes the workspace's members anyway.
 */
export async function markInstaller(deps: AppDeps, ws: Workspace, member: Member): Promise<Member> {
  if (member.isInstaller) return member;
  return deps.store.updateMember(ws.id, member.id, { isInstaller: true });
}

/**
 * Deletes everything stored about a workspace. The installation row (tokens) cascades with the
 * workspace; it goes first anyway, so no token outlives the data even if the bigger delete fails.
 */
export async function deleteWorkspaceData(deps: AppDeps, ws: Workspace): Promise<void> {
  await deps.store.deleteInstallation(ws.id);
  // People's calendar grants are revoked at their providers (best effort), not only deleted.
  await deps.calendarConnections?.disconnectWorkspace(ws).catch(() => 0);
  await deps.store.deleteWorkspace(ws.id);
  deps.tracker.invalidate(ws.id);
}

/** The app was removed from a platform's workspace: its data goes. Returns the workspace, if known. */
export async function uninstall(
  deps: AppDeps,
  platform: Platform,
  externalId: string,
): Promise<Workspace | null> {
  const ws = await deps.store.findWorkspace(platform, externalId);
  if (ws) await deleteWorkspaceData(deps, ws);
  return ws;
}

/** A member removed the app from their personal chat: the bot can no longer write to them there. */
export async function forgetDm(deps: AppDeps, ws: Workspace, platformUserId: string): Promise<void> {
  const member = await deps.store.getMember(ws.id, platformUserId);
  if (member) await deps.store.updateMember(ws.id, member.id, { dmRef: null });
}
