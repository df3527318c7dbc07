// Use case: "Review who we found". Value on day one: after an install or an import, and when a
// fresh install has found its first few candidates, the workspace's admins (and the installer) get
// the most discussed candidates in one message, each with Track / Not external / Ignore.
//
// When: a review is opened once per workspace per trigger (the Review row's unique key), so
// retries, replicas and a second import don't send it twice:
// - "install": right after an OAuth install (Slack) or the bot being added (Teams), if there is
//   already something to review (a reinstall, an import before the install);
// - "import": when `take-it-offline import` finishes with candidates; the CLI has no chat
//   connection, so the next nudge sweep sends it;
// - "candidates": the first sweep that finds REVIEW_MIN_CANDIDATES candidates in a workspace that
//   never had a review, within REVIEW_FRESH_DAYS of its install: a fresh install without an import
//   has enough to ask about after a few days.
// Opening and sending are separate steps: the row is written first, and sending claims it
// (sentAt), so each review goes out at most once.
//
// Answers: Track makes the contact tracked, Not external and Ignore hide it for the whole team
// (status ignored, what a prompt's "Not an external contact" and "Ignore" do). Each is undoable
// from the row. Only admins and the review's recipients may answer; every id a click sends back is
// checked against the workspace and the review.

import { administers } from "../core/admins.ts";
import type { MessageDoc, ReviewAnswer } from "../core/messages/doc.ts";
import { type ReviewContent, type ReviewRowContent, reviewDoc } from "../core/messages/review.ts";
import { asSendFailure } from "../core/send-failure.ts";
import { addDays } from "../core/time.ts";
import type { Member, Review, ReviewItem, ReviewTrigger, Workspace } from "../core/types.ts";
import { markNameOnly } from "./contacts.ts";
import { mergeOfferLines } from "./merge-offers.ts";
import type { AppDeps } from "./ports.ts";

/** At most this many people in a review: enough to be worth a look, few enough for a phone. */
export const REVIEW_SIZE = 10;
/** A fresh install without an import is asked once it has found this many candidates. */
export const REVIEW_MIN_CANDIDATES = 5;
/**
 * ...within this many days of the install: after that the team has had prompts and `review`, and
 * the sweep stops counting candidates for it every hour.
 */
export const REVIEW_FRESH_DAYS = 30;

/** What sends a review: a DM (Slack) or a card in the personal chat (Teams). */
export interface ReviewChatPort {
  sendDoc(ws: Workspace, member: Member, doc: MessageDoc): Promise<string>;
}

/**
 * Who gets a review: whoever administers the workspace (core/admins.ts: admins and installers)
 * and `alsoId` (the installer at hand, in case their row isn't marked yet), never a bot or someone
 * who opted out.
 */
function recipientsOf(members: readonly Member[], alsoId: string | null): string[] {
  return members
    .filter((m) => (administers(m) || m.id === alsoId) && !m.optedOut && !m.isBot)
    .map((m) => m.id);
}

/**
 * Opens the workspace's review for `trigger` when there are at least `minCandidates` candidates
 * and someone to send it to. Null when there is nothing to review, nobody to ask, or the review for
 * that trigger exists already.
 */
export async function openReview(
  deps: AppDeps,
  ws: Workspace,
  trigger: ReviewTrigger,
  opts: { installer?: Member | null; minCandidates?: number } = {},
): Promise<Review | null> {
  const now = deps.clock.now();
  const stats = await deps.store.listContactStats(ws.id, {
    status: "candidate",
    since: addDays(now, -ws.settings.retentionDays),
    limit: REVIEW_SIZE,
  });
  if (stats.length === 0 || stats.length < (opts.minCandidates ?? 1)) return null;
  const recipients = recipientsOf(await deps.store.listMembers(ws.id), opts.installer?.id ?? null);
  if (recipients.length === 0) return null;
  // Most mentions first; among equals, the one more teammates discuss.
  const ranked = [...stats].sort((a, b) => b.mentions - a.mentions || b.teammates - a.teammates);
  return deps.store.createReview(ws.id, {
    trigger,
    items: ranked.map((s) => ({ contactId: s.contact.id, decision: null })),
    recipients,
  });
}

/**
 * Sends the reviews opened and not sent yet, each at most once (claimed before sending). Returns
 * how many messages went out; a failed send is logged by the caller through `onFailure` and not
 * retried (the admin can always run `review`).
 */
export async function deliverReviews(
  deps: AppDeps,
  ws: Workspace,
  chat: ReviewChatPort,
  onFailure: (member: Member, err: unknown) => void = () => {},
): Promise<number> {
  let sent = 0;
  for (const review of await deps.store.unsentReviews(ws.id)) {
    if (!(await deps.store.markReviewSent(ws.id, review.id, deps.clock.now()))) continue;
    const doc = reviewDoc(await reviewContent(deps, ws, review));
    const members = new Map((await deps.store.listMembers(ws.id)).map((m) => [m.id, m]));
    for (const id of review.recipients) {
      const member = members.get(id);
      // Opted out since the review was opened: not asked.
      if (!member || member.optedOut || member.isBot) continue;
      try {
        await chat.sendDoc(ws, member, doc);
        sent++;
      } catch (err) {
        onFailure(member, asSendFailure(err));
      }
    }
  }
  return sent;
}

/** A trigger's review opened and sent in one go (install: the chat is at hand). */
export async function reviewAfter(
  deps: AppDeps,
  ws: Workspace,
  trigger: ReviewTrigger,
  chat: ReviewChatPort,
  opts: {
    installer?: Member | null;
    minCandidates?: number;
    onFailure?: (m: Member, err: unknown) => void;
  } = {},
): Promise<number> {
  await openReview(deps, ws, trigger, opts);
  return deliverReviews(deps, ws, chat, opts.onFailure);
}

/**
 * The sweep's part: the first review of a workspace that never had one, once it has found
 * REVIEW_MIN_CANDIDATES candidates, and any review opened elsewhere (an import) still unsent.
 */
export async function runReviewSweep(
  deps: AppDeps,
  ws: Workspace,
  chat: ReviewChatPort,
  onFailure?: (m: Member, err: unknown) => void,
): Promise<number> {
  if (!(await deps.store.latestReview(ws.id))) {
    const installedAt = (await deps.store.workspaceInstallTimes([ws.id])).get(ws.id);
    const fresh = !installedAt || installedAt >= addDays(deps.clock.now(), -REVIEW_FRESH_DAYS);
    if (fresh) await openReview(deps, ws, "candidates", { minCandidates: REVIEW_MIN_CANDIDATES });
  }
  return deliverReviews(deps, ws, chat, onFailure);
}

/** The rows as they stand: today's counts, each row's answer, and the contacts' status now. */
export async function reviewContent(deps: AppDeps, ws: Workspace, review: Review): Promise<ReviewContent> {
  const now = deps.clock.now();
  const days = ws.settings.retentionDays;
  const ids = review.items.map((i) => i.contactId);
  const [contacts, stats] = await Promise.all([
    deps.store.getContacts(ws.id, ids),
    // Counts of every status, since a row may be tracked or hidden by now.
    deps.store.listContactStats(ws.id, { since: addDays(now, -days), contactIds: ids }),
  ]);
  const marked = new Map((await markNameOnly(deps, ws, contacts)).map((c) => [c.id, c]));
  const statsOf = new Map(stats.filter((s) => marked.has(s.contact.id)).map((s) => [s.contact.id, s]));
  const rows: ReviewRowContent[] = [];
  for (const item of review.items) {
    const c = marked.get(item.contactId);
    // Merged into another contact or deleted (forget-me): the row goes.
    if (!c) continue;
    const s = statsOf.get(c.id);
    rows.push({
      contactId: c.id,
      name: c.displayName,
      organization: c.organization,
      mentions: s?.mentions ?? 0,
      teammates: s?.teammates ?? 0,
      nameOnly: c.nameOnly,
      decision: item.decision,
      status: c.status,
    });
  }
  const open = contacts.filter((c) => c.status !== "ignored");
  return { reviewId: review.id, rows, days, mergeOffers: await mergeOfferLines(deps.store, ws.id, open) };
}

/** May this person answer the review? Admins, and whoever it was sent to (the installer). */
function mayAnswer(review: Review, actor: Member, isAdmin: boolean): boolean {
  return isAdmin || review.recipients.includes(actor.id);
}

export type ReviewReply =
  | { kind: "doc"; doc: MessageDoc; changed: boolean }
  | { kind: "refused"; reason: "not-admin" | "gone" | "none" };

/** `review`: the workspace's latest review, as it stands, for an admin. */
export async function showReview(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  isAdmin: boolean,
): Promise<ReviewReply> {
  const review = await deps.store.latestReview(ws.id);
  if (!isAdmin && !(review && mayAnswer(review, actor, false)))
    return { kind: "refused", reason: "not-admin" };
  if (!review) {
    // No review yet (a quiet workspace, or nobody to send it to then): open one on request.
    const opened = await openReview(deps, ws, "candidates", { installer: actor });
    if (!opened) return { kind: "refused", reason: "none" };
    return { kind: "doc", doc: reviewDoc(await reviewContent(deps, ws, opened)), changed: false };
  }
  return { kind: "doc", doc: reviewDoc(await reviewContent(deps, ws, review)), changed: false };
}

/** The review as its section of the member's own view, or null when they can't answer it. */
export async function reviewForHome(
  deps: AppDeps,
  ws: Workspace,
  member: Member,
): Promise<ReviewContent | null> {
  const review = await deps.store.latestReview(ws.id);
  if (!review || !mayAnswer(review, member, administers(member))) return null;
  return reviewContent(deps, ws, review);
}

/**
 * A row's button: applies the answer to the contact (or undoes it) and returns the review as it
 * now stands. Compare-and-set on the review's items, so two admins (or two copies of one click)
 * can't both answer one row; the loser sees the winner's answer.
 */
export async function answerReview(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  isAdmin: boolean,
  reviewId: string,
  contactId: string,
  answer: ReviewAnswer,
): Promise<ReviewReply> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const review = await deps.store.getReview(ws.id, reviewId);
    if (!review) return { kind: "refused", reason: "gone" };
    if (!mayAnswer(review, actor, isAdmin)) return { kind: "refused", reason: "not-admin" };
    const item = review.items.find((i) => i.contactId === contactId);
    const contact = item ? await deps.store.getContact(ws.id, contactId) : null;
    const unchanged = async (): Promise<ReviewReply> => ({
      kind: "doc",
      doc: reviewDoc(await reviewContent(deps, ws, review)),
      changed: false,
    });
    if (!item || !contact) return unchanged();
    let next: ReviewItem;
    let status: "tracked" | "ignored" | "candidate";
    if (answer === "undo") {
      if (item.decision === null) return unchanged();
      // Only what this review did is undone: a contact changed since (a prompt, a command) stays.
      const set = item.decision === "track" ? "tracked" : "ignored";
      if (contact.status !== set) return unchanged();
      next = { contactId, decision: null };
      status = "candidate";
    } else {
      if (item.decision !== null || contact.status !== "candidate") return unchanged();
      next = { contactId, decision: answer };
      status = answer === "track" ? "tracked" : "ignored";
    }
    const items = review.items.map((i) => (i.contactId === contactId ? next : i));
    if (!(await deps.store.updateReviewItems(ws.id, review.id, review.items, items))) continue;
    await deps.store.updateContact(ws.id, contactId, { status });
    deps.tracker.invalidate(ws.id);
    const updated = { ...review, items };
    return { kind: "doc", doc: reviewDoc(await reviewContent(deps, ws, updated)), changed: true };
  }
  // Three lost races in a row: show what it is now.
  const review = await deps.store.getReview(ws.id, reviewId);
  if (!review) return { kind: "refused", reason: "gone" };
  return { kind: "doc", doc: reviewDoc(await reviewContent(deps, ws, review)), changed: false };
}
