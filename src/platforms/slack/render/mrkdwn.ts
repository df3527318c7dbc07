import type { types } from "@slack/bolt";
import { escapeMarkup } from "../../../core/format.ts";

// Small Block Kit building blocks. Names and places come from people's messages and profiles, so
// everything we interpolate into mrkdwn is escaped: &, < and > are Slack's control characters
// (a name like "<!channel>" must not ping a channel). The core's markup (core/format.ts) escapes
// the same way by design, so core text goes into mrkdwn as is and this is the same function.
export const escapeMrkdwn: (text: string) => string = escapeMarkup;

/** Slack rejects section text over 3000 characters; cut long lists rather than fail the post. */
export const SECTION_LIMIT = 3000;

export function clip(text: string, max = SECTION_LIMIT): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function plain(text: string, max = 150): types.PlainTextElement {
  return { type: "plain_text", text: clip(text, max), emoji: true };
}

export function section(mrkdwn: string): types.SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: clip(mrkdwn) } };
}

export function context(mrkdwn: string): types.ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: clip(mrkdwn) }] };
}

export function header(text: string): types.HeaderBlock {
  return { type: "header", text: plain(text) };
}

export const divider: types.DividerBlock = { type: "divider" };

export function button(
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): types.Button {
  return { type: "button", text: plain(text, 75), action_id: actionId, value, ...(style ? { style } : {}) };
}

export function option(text: string, value: string): types.PlainTextOption {
  return { text: plain(text, 75), value };
}

/** The "⋯" menu of an actions block: rarer choices, so the buttons beside it are never cut off. */
export function overflow(actionId: string, options: types.PlainTextOption[]): types.Overflow {
  return { type: "overflow", action_id: actionId, options };
}

export function actions(blockId: string, elements: Array<types.Button | types.Overflow>): types.ActionsBlock {
  return { type: "actions", block_id: blockId, elements };
}
