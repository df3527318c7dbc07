import type { Member } from "./types.ts";

// Who administers a workspace: the one rule behind admin commands, the dashboard's admin pages,
// the settings form and who gets the review. Everyone else sees only their own things.

/**
 * True for the platform's admins (a Slack admin or owner), whoever installed the app (Slack OAuth,
 * Teams install: they chose to add it, so they may run it even when the platform doesn't call
 * them an admin), and anyone named in `configured` (TEAMS_ADMIN_IDS), by any of `ids` (a Teams
 * user id is always checked; the Entra object id when the caller knows it).
 */
export function administers(
  member: Pick<Member, "isAdmin" | "isInstaller" | "platformUserId">,
  configured: readonly string[] = [],
  ids: readonly (string | null)[] = [],
): boolean {
  if (member.isAdmin || member.isInstaller) return true;
  if (configured.length === 0) return false;
  return [member.platformUserId, ...ids].some((id) => id !== null && configured.includes(id));
}
