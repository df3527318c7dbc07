// "Review who we found": after an install or an import, the admins get the most discussed
// candidates in one place, each with Track / Not external / Ignore. Worded once here; the DM (Slack),
// the card (Teams) and the App Home section are all this document.
import { plural } from "../format.ts";
import type { ContactStatus, ReviewDecision } from "../types.ts";
import {
  type Block,
  commandSpan,
  type DocButton,
  type Inline,
  type MessageDoc,
  markup,
  type ReviewAnswer,
  strong,
  subtle,
  text,
} from "./doc.ts";

export const REVIEW_TITLE = "Review who we found";

export const REVIEW_LABELS = {
  track: "Track",
  notExternal: "Not external",
  ignore: "Ignore",
  undo: "Undo",
} as const;

/** One row: a candidate as the team discusses it, and the answer given in this review. */
export interface ReviewRowContent {
  contactId: string;
  /** Plain text: each renderer escapes it. */
  name: string;
  organization: string | null;
  mentions: number;
  teammates: number;
  /** Found only by the name tagger: worth saying, since it may be a place or a teammate. */
  nameOnly: boolean;
  decision: ReviewDecision | null;
  /** The contact's status now: a row answered elsewhere (a prompt, a command) says so. */
  status: ContactStatus;
}

export interface ReviewContent {
  reviewId: string;
  rows: ReviewRowContent[];
  /** The window the counts cover, in days. */
  days: number;
  /** Lines offering to merge two rows that are likely one person (core markup, see same-person.ts). */
  mergeOffers: string[];
}

function counts(row: ReviewRowContent): string {
  const who = row.teammates === 1 ? "1 teammate" : `${row.teammates} teammates`;
  return `${plural(row.mentions, "mention")} by ${who}`;
}

/** What a row says once answered (here or elsewhere), or null while it waits for an answer. */
function outcome(row: ReviewRowContent): string | null {
  switch (row.decision) {
    case "track":
      return "tracked: prompts and the digest count them.";
    case "not-external":
      return "not external: hidden for everyone on the team.";
    case "ignore":
      return "ignored: hidden for everyone on the team.";
    case null:
      if (row.status === "tracked") return "already tracked.";
      if (row.status === "ignored") return "already hidden for everyone.";
      return null;
  }
}

function rowBlock(reviewId: string, row: ReviewRowContent): Block {
  const act = (answer: ReviewAnswer) =>
    ({ kind: "review", reviewId, contactId: row.contactId, answer }) as const;
  const id = `review:${row.contactId}`;
  const done = outcome(row);
  if (done !== null) {
    const buttons: DocButton[] = row.decision ? [{ label: REVIEW_LABELS.undo, action: act("undo") }] : [];
    return { type: "row", id, spans: [strong(row.name), `: ${done}`], buttons };
  }
  const spans: Inline = [
    strong(row.name),
    ...(row.organization ? [` (${row.organization})`] : []),
    `: ${counts(row)}`,
    ...(row.nameOnly ? [". Only a name in messages: is it a person outside the team?"] : []),
  ];
  return {
    type: "row",
    id,
    spans,
    buttons: [
      { label: REVIEW_LABELS.track, action: act("track"), style: "primary" },
      { label: REVIEW_LABELS.notExternal, action: act("not-external") },
      { label: REVIEW_LABELS.ignore, action: act("ignore") },
    ],
  };
}

/** The review's blocks under a heading: the DM's body and the App Home section. */
export function reviewBlocks(review: ReviewContent, opts: { heading: "title" | "heading" }): Block[] {
  const open = review.rows.filter((r) => outcome(r) === null).length;
  const blocks: Block[] = [
    opts.heading === "title"
      ? { type: "title", text: REVIEW_TITLE }
      : { type: "heading", text: REVIEW_TITLE },
    text(
      `The people your team mentioned most in the last ${plural(review.days, "day")} that nobody has confirmed yet. `,
      strong("Track"),
      " counts them for prompts and the digest. ",
      strong("Not external"),
      " (a teammate, a place, not a person) and ",
      strong("Ignore"),
      " hide them for everyone. Each can be undone here.",
    ),
  ];
  for (const row of review.rows) blocks.push(rowBlock(review.reviewId, row));
  for (const line of review.mergeOffers) blocks.push(subtle(markup(line)));
  blocks.push({
    type: "context",
    spans:
      open === 0
        ? ["All answered. ", commandSpan("contacts candidates"), " lists the others."]
        : ["Only admins can answer. ", commandSpan("review"), " shows this list again."],
  });
  return blocks;
}

export function reviewDoc(review: ReviewContent): MessageDoc {
  const open = review.rows.filter((r) => outcome(r) === null).length;
  return {
    summary:
      open === 0
        ? `${REVIEW_TITLE}: all ${plural(review.rows.length, "person", "people")} answered.`
        : `${REVIEW_TITLE}: ${plural(open, "person", "people")} your team talks about, waiting for Track, Not external or Ignore.`,
    blocks: reviewBlocks(review, { heading: "title" }),
  };
}

/** The App Home section: only while some row waits for an answer. */
export function reviewHomeBlocks(review: ReviewContent | null | undefined): Block[] {
  if (!review || review.rows.every((r) => outcome(r) !== null)) return [];
  return reviewBlocks(review, { heading: "heading" });
}

/** The reply to `review` when there is nothing to review (or the person may not). */
export const REVIEW_REPLIES = {
  none: "Nothing to review yet: no candidates have been found. I'll send the list when there are some.",
  notAdmin: "Only workspace admins (and whoever installed the app) can review who was found.",
  gone: "This review no longer exists.",
} as const;
