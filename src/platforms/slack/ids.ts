// Every name Slack and this app must agree on: the slash command, the Events API events, the
// action ids on our buttons and the callback ids of our modals. The manifest test reads these lists
// and checks them against manifests/slack/manifest.yaml in both directions.

export const COMMAND = "/offline";

/** Bot events as the manifest names them. Slack delivers message.channels and message.groups as "message". */
export const HANDLED_EVENTS = [
  "message.channels",
  "message.groups",
  "app_home_opened",
  "member_joined_channel",
  "app_uninstalled",
  "tokens_revoked",
] as const;

/** Event types the listeners are registered for (the `type` field of the event). */
export const LISTENED_EVENT_TYPES = [
  "message",
  "app_home_opened",
  "member_joined_channel",
  "app_uninstalled",
  "tokens_revoked",
] as const;
export type ListenedEventType = (typeof LISTENED_EVENT_TYPES)[number];

export const ACTIONS = {
  plan: "prompt_plan",
  snooze: "prompt_snooze",
  met: "prompt_met",
  notContact: "prompt_not_contact",
  /** The prompt's overflow menu: snooze, already met, not a contact (the option says which). */
  more: "prompt_more",
  track: "candidate_track",
  ignore: "candidate_ignore",
  /** "Not an external contact" / "Ignore" confirmed: hides the contact for the whole team. */
  hide: "prompt_hide",
  /** Cancel on that question: the prompt comes back. */
  keep: "prompt_keep",
  /** Undo on "Hidden for everyone": the contact's status and the prompt come back. */
  undo: "prompt_undo",
  followUpYes: "followup_yes",
  /** "Not yet": the lunch stays open. */
  followUpLater: "followup_later",
  /** "It's off": cancels the lunch. */
  followUpNo: "followup_no",
  forgetMe: "forget_me_confirm",
  forgetMeCancel: "forget_me_cancel",
  /** The digest's Plan lunch beside a still-online-only contact; the value is the contact id. */
  planContact: "digest_plan_lunch",
  /** The value is the pause in days, or empty for "until I resume". */
  pause: "home_pause",
  /** The personal view's overflow: the other pause durations (value as for pause). */
  pauseMore: "home_pause_more",
  resume: "home_resume",
  /** A link button (a calendar's consent page): Slack opens it; the action is only acked. */
  openUrl: "open_url",
  /** "Connect calendar": answers with fresh consent links. */
  connectCalendar: "calendar_connect",
  /** A meeting mentioned in chat: record it (Yes) or not (No); the value is the notice id. */
  metYes: "met_chat_yes",
  metNo: "met_chat_no",
  /** Undo on a meeting counted from the calendar; the value is the notice id. */
  metUndo: "met_undo",
  /** A review row's answers and its Undo; the value names the review and the contact. */
  reviewTrack: "review_track",
  reviewUndo: "review_undo",
  /**
   * A review row's other answers, named in the value: the options of its "⋯" menu (Not external,
   * Ignore), or a button for one of them.
   */
  reviewAnswer: "review_answer",
} as const;
export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];
/**
 * Buttons prompts no longer show (their actions moved into the overflow menu), still handled:
 * prompts sent before that change keep them, and a click on one must still work.
 */
export const LEGACY_ACTIONS: readonly ActionId[] = [ACTIONS.snooze, ACTIONS.met, ACTIONS.notContact];
export const HANDLED_ACTIONS: readonly ActionId[] = Object.values(ACTIONS);

export const VIEWS = {
  lunch: "lunch_plan",
  settings: "workspace_settings",
} as const;
export const HANDLED_VIEWS: readonly string[] = Object.values(VIEWS);

/** Scopes the bot asks for at install; each is used by a call in this folder. */
export const BOT_SCOPES = [
  "channels:history", // message.channels + conversations.history (digest crash recovery)
  "groups:history", // message.groups: private channels the bot was invited to
  "channels:read", // member_joined_channel in public channels, conversations_select
  "groups:read", // member_joined_channel in private channels
  "chat:write", // prompts, digest, notes, chat.update
  "commands", // /offline
  "im:write", // conversations.open: the DM for an .ics upload before any message went there
  "users:read", // users.info: names, time zones, admins, Slack Connect teams
  "users:read.email", // teammates' email domains are internal domains
  "files:write", // the lunch .ics invite
] as const;

/** Metadata event type on digest posts, so a digest posted before a crash can be found again. */
export const DIGEST_METADATA_EVENT = "tio_digest";
