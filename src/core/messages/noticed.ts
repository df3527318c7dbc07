// Meetings the bot noticed instead of being told, worded once: the question about a meeting a
// teammate mentioned in a channel ("Record that you met Jane Doe on Thu 3 Dec?"), the one line
// about a meeting found in their calendar ("Counted your meeting with Jane Doe on Tue 1 Dec from
// your calendar", with Undo), and what each answer turns into.
import { formatDate } from "../format.ts";
import type { Block, DocButton, MessageDoc, NoticedAnswer } from "./doc.ts";
import { subtle, text } from "./doc.ts";

export const NOTICED_LABELS = { yes: "Yes", no: "No", undo: "Undo" } as const;

/** "Tue 1 Dec" for a YYYY-MM-DD calendar day (no zone: it is already the member's day). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return formatDate(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)), "UTC");
}

/** A noticed meeting as a message shows it: `contactName` is plain text. */
export interface NoticedContent {
  noticeId: string;
  contactName: string;
  /** YYYY-MM-DD on the member's calendar. */
  day: string;
}

const button = (label: string, n: NoticedContent, answer: NoticedAnswer, style?: "primary"): DocButton => ({
  label,
  action: { kind: "noticed", noticeId: n.noticeId, answer },
  ...(style ? { style } : {}),
});

/** "Counted your meeting with Jane Doe on Tue 1 Dec from your calendar." */
export function countedLine(n: Omit<NoticedContent, "noticeId">): string {
  return `Counted your meeting with ${n.contactName} on ${formatDay(n.day)} from your calendar.`;
}

/** The one line about a calendar meeting, with its Undo, under a prompt or in the personal view. */
export function countedItem(n: NoticedContent): Block {
  return { type: "item", spans: [countedLine(n)], button: button(NOTICED_LABELS.undo, n, "undo") };
}

/** "Record that you met Jane Doe on Thu 3 Dec?" */
export function metQuestionTitle(n: Omit<NoticedContent, "noticeId">): string {
  return `Record that you met ${n.contactName} on ${formatDay(n.day)}?`;
}

/** The DM asked after a channel message says its author met a contact. */
export function metQuestionDoc(n: NoticedContent): MessageDoc {
  const title = metQuestionTitle(n);
  const why =
    "You mentioned it in a channel. Yes counts it as meeting in person, and resets the reminders about them.";
  return {
    summary: title,
    blocks: [
      { type: "title", text: title },
      text(why),
      {
        type: "actions",
        id: `met-chat:${n.noticeId}`,
        buttons: [button(NOTICED_LABELS.yes, n, "yes", "primary"), button(NOTICED_LABELS.no, n, "no")],
      },
      subtle("I keep only who you met and the day, never what you wrote."),
    ],
  };
}

/** What the question or the counted line turns into once answered (plain text, no buttons). */
export function noticedOutcome(
  answer: NoticedAnswer | "gone",
  n: Omit<NoticedContent, "noticeId"> | null,
): string {
  if (!n || answer === "gone") return "That meeting isn't there any more: nothing changed.";
  const day = formatDay(n.day);
  switch (answer) {
    case "yes":
      return `Recorded: you met ${n.contactName} on ${day}.`;
    case "no":
      return `OK, nothing recorded about ${n.contactName} on ${day}.`;
    case "undo":
      return `Undone: your meeting with ${n.contactName} on ${day} no longer counts.`;
  }
}

/** A second click (or a replayed one) on an answered question or an undone meeting. */
export const NOTICED_ALREADY = "Already answered: nothing changed.";
