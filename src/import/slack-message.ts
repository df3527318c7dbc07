// Which exported messages are people talking. Detection only looks at those: bots, joins and
// other housekeeping would otherwise inflate counts with names nobody actually discussed.
import type { SlackMessage } from "./slack-schema.ts";

/** Subtypes that still carry something a person wrote. Anything else with a subtype is housekeeping. */
const PERSON_SUBTYPES = new Set(["thread_broadcast", "file_share", "message_changed", "me_message"]);

export type SkipReason = "bot" | "system" | "no-user" | "no-text";
export type MessageClass = "message" | { skip: SkipReason; subtype?: string };

/** Author of what was said: message_changed keeps it on the nested message. */
export function messageUser(m: SlackMessage): string | undefined {
  return m.subtype === "message_changed" ? (m.message?.user ?? m.user) : m.user;
}

/** Text as last written: message_changed keeps the edited text on the nested message. */
export function messageText(m: SlackMessage): string | undefined {
  return m.subtype === "message_changed" ? (m.message?.text ?? m.text) : m.text;
}

export function isBotMessage(m: SlackMessage): boolean {
  return Boolean(m.bot_id) || m.subtype === "bot_message" || Boolean(m.message?.bot_id);
}

/** Bots and housekeeping subtypes (joins, leaves, topic, purpose, renames, pins, archives, …). */
export function isSystemMessage(m: SlackMessage): boolean {
  return isBotMessage(m) || (m.subtype !== undefined && !PERSON_SUBTYPES.has(m.subtype));
}

export function classifyMessage(m: SlackMessage): MessageClass {
  if (isBotMessage(m)) return m.subtype ? { skip: "bot", subtype: m.subtype } : { skip: "bot" };
  if (m.subtype !== undefined && !PERSON_SUBTYPES.has(m.subtype))
    return { skip: "system", subtype: m.subtype };
  if (!messageUser(m)) return { skip: "no-user" };
  if (!messageText(m)?.trim()) return { skip: "no-text" };
  return "message";
}

export function describeSkip(c: Exclude<MessageClass, "message">): string {
  switch (c.skip) {
    case "bot":
      return "bot message";
    case "system":
      return `system message (${c.subtype ?? "unknown"})`;
    case "no-user":
      return "message without an author";
    case "no-text":
      return "message without text";
  }
}

/** Slack ts ("1700000000.000100") to the instant it denotes, millisecond precision. */
export function slackTsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}
