// What the Teams bot handles, in one place: the dispatcher uses these lists, and a test checks
// manifests/teams/manifest.json against them, so the manifest can't promise what the code ignores
// (or forget a permission the code relies on).
import type { Subcommand } from "../../core/commands.ts";
import { FILE_CONSENT_INVOKE } from "./files.ts";

export const TEAMS_ENDPOINT = "/api/messages";

/** Bot scopes, spelled as in the app manifest. */
export const BOT_SCOPES = ["personal", "team", "groupChat"] as const;
export type BotScope = (typeof BOT_SCOPES)[number];

/** Activity types the bot acts on; everything else is acknowledged and ignored. */
export const HANDLED_ACTIVITY_TYPES = [
  "message",
  "messageUpdate",
  "messageDelete",
  "conversationUpdate",
  "installationUpdate",
  "invoke",
] as const;
export type HandledActivityType = (typeof HANDLED_ACTIVITY_TYPES)[number];

/** channelData.eventType values acted on, per activity type. */
export const HANDLED_EVENT_TYPES = {
  messageUpdate: ["editMessage", "undeleteMessage"],
  messageDelete: ["softDeleteMessage"],
  conversationUpdate: [
    "teamMemberAdded",
    "teamMemberRemoved",
    "channelCreated",
    "channelRenamed",
    "channelDeleted",
    "channelRestored",
    "teamDeleted",
    "teamHardDeleted",
  ],
} as const satisfies Partial<Record<HandledActivityType, readonly string[]>>;

/** Invokes acted on: the answer to a file consent card (the lunch .ics, files.ts). */
export const HANDLED_INVOKES = [FILE_CONSENT_INVOKE] as const;

/** installationUpdate actions: add / add-upgrade install, remove uninstalls; remove-upgrade is part of an upgrade. */
export const INSTALL_ACTIONS = ["add", "add-upgrade"] as const;
export const UNINSTALL_ACTIONS = ["remove"] as const;

/**
 * Resource-specific consent the bot needs: channel messages without an @mention (tracking).
 * Group chats only deliver messages that @mention the bot, which is all commands need.
 */
export const RSC_PERMISSIONS = ["ChannelMessage.Read.Group"] as const;

/**
 * Commands suggested in the Teams compose box, per scope (the manifest's commandLists). Teams
 * allows up to 10 per list; three keep the menu focused on what people reach for. Every command
 * works in every scope whether suggested or not.
 */
export const SUGGESTED_COMMANDS: Record<BotScope, readonly Subcommand[]> = {
  // The personal chat is where the personal view lives (issue 20 item 8): `home` is suggested there.
  personal: ["help", "home", "lunch"],
  team: ["help", "contacts", "digest"],
  groupChat: ["help", "contacts", "digest"],
};
