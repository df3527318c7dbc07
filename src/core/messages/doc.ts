// A message as a small neutral document: what the bot says (wording, order, actions), decided here
// once. Slack (Block Kit), Teams (Adaptive Cards) and plain text are thin renderers of it, so a new
// line in a message is written once and every platform shows it.
//
// Text in a document is plain (as a person would type it, unescaped): each renderer escapes it for
// where it lands. Two spans carry something richer: a command (each platform names it its own way)
// and core markup (Reply/outcome text that already names people as `<@ID|name>`, see core/format.ts).

/** What a button does, in the product's terms; each platform maps it to its own payload. */
export type DocAction =
  | { kind: "nudge"; nudgeId: string; action: NudgeAction }
  | { kind: "follow-up"; lunchId: string; answer: FollowUpAnswer }
  /** Open the lunch form for a contact without a prompt (the digest's still-online-only list). */
  | { kind: "plan-contact"; contactId: string }
  /** `forget-me` asks first: confirm deletes, cancel keeps everything. Only `memberId` may answer. */
  | { kind: "forget-me"; confirm: boolean; memberId: string }
  /** Pause prompts for `days` (null: until resume), or resume them (the personal view's switches). */
  | { kind: "pause"; days: number | null }
  | { kind: "resume" }
  /** A link the person opens in their browser (a calendar's consent page). */
  | { kind: "open-url"; url: string }
  /** Start connecting a calendar: the reply carries the consent links (fresh, single-use). */
  | { kind: "connect-calendar" }
  /** A meeting the bot noticed: Yes/No to a chat mention's question, Undo on a calendar one. */
  | { kind: "noticed"; noticeId: string; answer: NoticedAnswer }
  /** A review row's answer (or its undo): admins only, checked by the use case. */
  | { kind: "review"; reviewId: string; contactId: string; answer: ReviewAnswer };

/** yes: record the meeting a chat message mentioned; no: record nothing; undo: uncount it. */
export type NoticedAnswer = "yes" | "no" | "undo";
/** A review row's buttons: the three answers, and Undo once answered. */
export type ReviewAnswer = "track" | "not-external" | "ignore" | "undo";

/**
 * A prompt's answers. `hide` is "not a contact" / "ignore" once confirmed (it hides the contact
 * for the whole team), `keep` cancels that and shows the prompt again, `undo` reverts a hide.
 */
export type NudgeAction =
  | "plan"
  | "snooze"
  | "met"
  | "not-contact"
  | "track"
  | "ignore"
  | "hide"
  | "keep"
  | "undo";

/** "Did it happen?": yes (records the meeting), not yet (keeps the lunch, asks again), it's off. */
export type FollowUpAnswer = "happened" | "later" | "off";

export interface DocButton {
  label: string;
  action: DocAction;
  /** "primary": the one action the message asks for; "danger": it removes something for good or for everyone. */
  style?: "primary" | "danger";
}

/**
 * A run of inline text. A string is plain text; `strong` is emphasised; `command` is a command
 * the person can type ("pause" → `/offline pause` on Slack, **pause** on Teams); `markup` is core
 * markup (names escaped, `<@ID|name>` mentions, commands in backticks).
 */
export type Span =
  | string
  | { strong: string }
  | { command: string }
  | { markup: string }
  /** A link to a page of ours (the dashboard); `text` is plain. */
  | { link: string; text: string };
export type Inline = readonly Span[];

export type Block =
  /** The message's title. `large` for a channel post's header, else a bold first line. */
  | { type: "title"; text: string; large?: boolean }
  /** A section heading inside a longer message. */
  | { type: "heading"; text: string }
  /** A paragraph; `subtle` for secondary lines (an organization under a name, a date). */
  | { type: "text"; spans: Inline; subtle?: boolean }
  /** A list; `ordered` numbers it (a ranking). */
  | { type: "list"; items: Inline[]; ordered?: boolean }
  /** One line with its own action beside it (a contact and its Plan lunch). */
  | { type: "item"; spans: Inline; button: DocButton }
  /**
   * One line with its own row of buttons under it (a review row: Track / Not external / Ignore).
   * `id` tells the platform which row a click came from; no buttons: the line alone.
   */
  | { type: "row"; id: string; spans: Inline; buttons: DocButton[] }
  /** A big figure and what it means (the offline coverage). */
  | { type: "stat"; value: string; spans: Inline }
  /** Small print at the foot: privacy, hints. */
  | { type: "context"; spans: Inline }
  | { type: "divider" }
  /**
   * The message's buttons (at most one actions block per document). `more` are the rarer actions,
   * behind an overflow menu ("⋯") so nothing is cut off on a phone. `id` tells the platform which
   * message the click came from (Slack's block_id).
   */
  | { type: "actions"; id: string; buttons: DocButton[]; more?: DocButton[] };

export interface MessageDoc {
  /** One line for notifications, screen readers and old clients; never empty. */
  summary: string;
  blocks: Block[];
}

export const strong = (text: string): Span => ({ strong: text });
export const commandSpan = (words: string): Span => ({ command: words });
export const markup = (text: string): Span => ({ markup: text });
export const link = (url: string, label: string): Span => ({ link: url, text: label });

export const text = (...spans: Span[]): Block => ({ type: "text", spans });
export const subtle = (...spans: Span[]): Block => ({ type: "text", spans, subtle: true });
export const heading = (value: string): Block => ({ type: "heading", text: value });

/** A span's text with commands written as typed on Slack and markup unescaped: for plain renderers. */
export function spanPlain(span: Span, unmarkup: (markup: string) => string): string {
  if (typeof span === "string") return span;
  if ("strong" in span) return span.strong;
  if ("command" in span) return `/offline ${span.command}`;
  if ("link" in span) return `${span.text} (${span.link})`;
  return unmarkup(span.markup);
}
