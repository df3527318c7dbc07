import { detectionPrefix } from "../../core/detect/index.ts";
import type { PlatformUserRef } from "../../core/types.ts";

// Who is a teammate and who is an outsider, from a Slack user object (users.info, users.json in an
// export, or the user_profile Slack attaches to events). Used by the live app and the import.

/** The subset of Slack's user object we read. */
export interface SlackUserLike {
  id: string;
  team_id?: string | undefined;
  name?: string | undefined;
  real_name?: string | undefined;
  deleted?: boolean | undefined;
  is_bot?: boolean | undefined;
  is_app_user?: boolean | undefined;
  is_admin?: boolean | undefined;
  is_owner?: boolean | undefined;
  is_primary_owner?: boolean | undefined;
  is_restricted?: boolean | undefined;
  is_ultra_restricted?: boolean | undefined;
  is_stranger?: boolean | undefined;
  tz?: string | undefined;
  enterprise_user?: { enterprise_id?: string | undefined } | undefined;
  profile?:
    | {
        display_name?: string | undefined;
        real_name?: string | undefined;
        email?: string | undefined;
        title?: string | undefined;
      }
    | undefined;
}

export interface HomeTeam {
  teamId: string | undefined;
  enterpriseId?: string | undefined;
}

/**
 * Slack Connect users from another organization, strangers and guests (single- and multi-channel)
 * are outsiders; everyone else in the workspace is a teammate.
 */
export function isExternalSlackUser(user: SlackUserLike, home: HomeTeam): boolean {
  if (user.is_stranger) return true;
  if (user.is_restricted || user.is_ultra_restricted) return true;
  const enterprise = user.enterprise_user?.enterprise_id;
  if (enterprise && home.enterpriseId) return enterprise !== home.enterpriseId;
  return Boolean(user.team_id && home.teamId && user.team_id !== home.teamId);
}

export function slackDisplayName(user: SlackUserLike): string {
  return user.profile?.display_name || user.profile?.real_name || user.real_name || user.name || user.id;
}

export function toUserRef(
  user: SlackUserLike,
  home: HomeTeam,
): PlatformUserRef & { tz: string | null; isBot: boolean; isAdmin: boolean; realName: string } {
  const external = isExternalSlackUser(user, home);
  return {
    platformUserId: user.id,
    displayName: slackDisplayName(user),
    realName: user.profile?.real_name || user.real_name || "",
    handle: user.name ?? null,
    external,
    email: user.profile?.email ?? null,
    organization: null,
    tz: user.tz ?? null,
    isBot: Boolean(user.is_bot || user.is_app_user || user.id === "USLACKBOT"),
    isAdmin: Boolean(user.is_admin || user.is_owner || user.is_primary_owner),
  };
}

// The label stops at "<" as well as ">": with `[^>]*` an unclosed "<@U1|" ran to the end of the
// text from each one, quadratic in a message full of them (Slack writes "<" in text as "&lt;").
const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|([^<>]*))?>/g;

/**
 * User ids referenced as <@U…> in Slack message text, in order, without repeats. Like detection,
 * it reads only the first MAX_DETECTION_TEXT units of the text.
 */
export function mentionedUserIds(text: string): string[] {
  const ids = new Set<string>();
  for (const m of detectionPrefix(text).matchAll(USER_MENTION)) if (m[1]) ids.add(m[1]);
  return [...ids];
}
