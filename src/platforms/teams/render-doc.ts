// A core document (core/messages) as an Adaptive Card 1.5. Layout only: the wording is the core's.
// Every card carries `fallbackText` (the whole message as plain text, for clients that can't draw
// it) and its activity a non-empty summary (notifications, screen readers).
import type { Block, DocButton, Inline, MessageDoc } from "../../core/messages/doc.ts";
import { renderPlain } from "../../core/messages/plain.ts";
import type { AdaptiveCard, CardElement } from "./cards.ts";
import { CARD_VERSION } from "./cards.ts";
import type {
  FollowUpData,
  NoticedData,
  NudgeData,
  PersonalData,
  PlanContactData,
  ReviewData,
} from "./submit.ts";
import { escapeTeamsMarkdown as md, teamsPlainText, toTeamsMarkdown } from "./text.ts";

/** Spans as Teams markdown: people's strings escaped, commands as the words said to the bot. */
export function inlineMarkdown(spans: Inline): string {
  return spans
    .map((s) => {
      if (typeof s === "string") return md(s);
      if ("strong" in s) return s.strong.trim() ? `**${md(s.strong)}**` : "";
      if ("command" in s) return `**${md(s.command)}**`;
      if ("link" in s) return `[${md(s.text)}](${s.link.replace(/[()\s<>]/g, encodeURIComponent)})`;
      return toTeamsMarkdown(s.markup);
    })
    .join("");
}

function submitData(
  b: DocButton,
): NudgeData | FollowUpData | PlanContactData | PersonalData | NoticedData | ReviewData | null {
  const a = b.action;
  switch (a.kind) {
    case "nudge":
      return { tio: "nudge", nudgeId: a.nudgeId, action: a.action };
    case "follow-up":
      return { tio: "followup", lunchId: a.lunchId, answer: a.answer };
    case "plan-contact":
      return { tio: "plan", contactId: a.contactId };
    case "forget-me":
      return { tio: "forget-me", confirm: a.confirm, memberId: a.memberId };
    case "pause":
      return { tio: "pause", days: a.days };
    case "resume":
      return { tio: "resume" };
    case "connect-calendar":
      return { tio: "connect-calendar" };
    case "open-url":
      return null;
    case "noticed":
      return { tio: "noticed", noticeId: a.noticeId, answer: a.answer };
    case "review":
      return { tio: "review", reviewId: a.reviewId, contactId: a.contactId, answer: a.answer };
  }
}

function submit(b: DocButton, secondary = false): CardElement {
  if (b.action.kind === "open-url")
    return {
      type: "Action.OpenUrl",
      title: b.label,
      url: b.action.url,
      ...(b.style === "primary" ? { style: "positive" } : {}),
      ...(secondary ? { mode: "secondary" } : {}),
    };
  return {
    type: "Action.Submit",
    title: b.label,
    data: submitData(b),
    ...(b.style ? { style: b.style === "primary" ? "positive" : "destructive" } : {}),
    // Teams puts secondary actions under "…", so no label is cut off at 320 px.
    ...(secondary ? { mode: "secondary" } : {}),
  };
}

const textBlock = (value: string, opts: Record<string, unknown> = {}): CardElement => ({
  type: "TextBlock",
  text: value,
  wrap: true,
  ...opts,
});

export interface CardOptions {
  /** Use the full width of the channel (the digest). */
  wide?: boolean;
}

export function docCard(doc: MessageDoc, options: CardOptions = {}): AdaptiveCard {
  const body: CardElement[] = [];
  const cardActions: CardElement[] = [];
  let separate = false;
  const push = (el: CardElement) => {
    body.push(separate ? { ...el, separator: true, spacing: "Medium" } : el);
    separate = false;
  };
  let previous: Block["type"] | null = null;
  for (const b of doc.blocks) {
    switch (b.type) {
      case "title":
        push(textBlock(md(b.text), { weight: "Bolder", size: b.large ? "Large" : "Medium" }));
        break;
      case "heading":
        push(textBlock(md(b.text), { weight: "Bolder", spacing: "Medium", separator: true }));
        break;
      case "text":
        push(
          textBlock(
            inlineMarkdown(b.spans),
            b.subtle ? { isSubtle: true, ...(previous === "title" ? { spacing: "None" } : {}) } : {},
          ),
        );
        break;
      case "list":
        // One TextBlock per line: Teams ignores single newlines in markdown.
        for (const [i, item] of b.items.entries()) {
          push(textBlock(`${b.ordered ? `${i + 1}.` : "-"} ${inlineMarkdown(item)}`, { spacing: "Small" }));
        }
        break;
      case "item":
        push({
          type: "ColumnSet",
          spacing: "Small",
          columns: [
            {
              type: "Column",
              width: "stretch",
              verticalContentAlignment: "Center",
              items: [textBlock(inlineMarkdown(b.spans))],
            },
            {
              type: "Column",
              width: "auto",
              verticalContentAlignment: "Center",
              items: [{ type: "ActionSet", actions: [submit(b.button)] }],
            },
          ],
        });
        break;
      case "row":
        // The line, then its own buttons under it (a review row): in the body, not the card's foot.
        push(textBlock(inlineMarkdown(b.spans), { spacing: "Medium" }));
        if (b.buttons.length > 0)
          push({ type: "ActionSet", spacing: "Small", actions: b.buttons.map((x) => submit(x)) });
        break;
      case "stat":
        push({
          type: "ColumnSet",
          columns: [
            {
              type: "Column",
              width: "auto",
              items: [textBlock(md(b.value), { size: "ExtraLarge", weight: "Bolder" })],
            },
            {
              type: "Column",
              width: "stretch",
              verticalContentAlignment: "Center",
              items: [textBlock(inlineMarkdown(b.spans))],
            },
          ],
        });
        break;
      case "context":
        push(textBlock(inlineMarkdown(b.spans), { isSubtle: true, size: "Small" }));
        break;
      case "divider":
        separate = true;
        break;
      case "actions":
        // A card's buttons sit at its foot; the rarer ones under "…".
        cardActions.push(...b.buttons.map((x) => submit(x)), ...(b.more ?? []).map((x) => submit(x, true)));
        break;
    }
    previous = b.type;
  }
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: CARD_VERSION,
    // Plain text Teams may still scan for tags: each line made safe as the summary is.
    fallbackText: renderPlain(doc).split("\n").map(teamsPlainText).join("\n"),
    body,
    ...(cardActions.length > 0 ? { actions: cardActions } : {}),
    ...(options.wide ? { msteams: { width: "Full" as const } } : {}),
  };
}

/** The activity summary: notification and screen-reader text, never empty, one line. */
export function docSummary(doc: MessageDoc): string {
  return teamsPlainText(doc.summary);
}
