// Use case: answer a prompt's button (plan, snooze, met, not a contact, track, ignore), on any
// platform. Each answer is a compare-and-set on the prompt's status, so a second click (or a click
// on another copy) changes nothing and says what already happened.
//
// "Not a contact" and "Ignore" hide the contact for the whole team: when other teammates discuss
// it, the prompt asks first (hide / keep); once hidden, the outcome says so and offers Undo, which
// gives the contact its status back and shows the prompt again.
import { escapeMarkup } from "../core/format.ts";
import type { MessageDoc, NudgeAction } from "../core/messages/doc.ts";
import { hiddenDoc, hideConfirmDoc, promptDoc } from "../core/messages/prompt.ts";
import { rankTeammates } from "../core/nudges.ts";
import { addDays } from "../core/time.ts";
import type { Contact, Member, Nudge, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";
import { promptOf } from "./prompt-of.ts";
import { recordMet } from "./record-met.ts";

/** How long "Snooze" holds a prompt back. */
export const SNOOZE_DAYS = 14;

export type PromptAction = NudgeAction;

export interface ActionOutcome {
  /** Text that replaces the prompt, so its buttons can't be pressed twice with effect. */
  text: string;
  /** False when nothing changed (already handled, not yours, gone). */
  changed: boolean;
  /**
   * What replaces the prompt when it is more than a line of text: a question first (hide for the
   * whole team?), an outcome with Undo, or the prompt itself again (cancel, undo).
   */
  doc?: MessageDoc;
  /**
   * The prompt's own message (where it was sent), set only when the prompt is the actor's: a click
   * without a message of its own (App Home) updates this one, never someone else's.
   */
  messageRef?: string | null;
  /** For "plan": what the lunch form needs. */
  lunchForm?: {
    nudgeId: string;
    contactId: string;
    contactName: string;
    teammates: Array<{ id: string; platformUserId: string; name: string }>;
  };
}

export async function handlePromptAction(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  nudgeId: string,
  action: PromptAction,
): Promise<ActionOutcome> {
  const nudge = await deps.store.getNudge(ws.id, nudgeId);
  if (!nudge) return { text: "This prompt no longer exists.", changed: false };
  if (nudge.memberId !== actor.id) return { text: "This prompt was meant for someone else.", changed: false };
  const contact = await deps.store.getContact(ws.id, nudge.contactId);
  if (!contact) return { text: "That contact was removed.", changed: false };
  const open = ["sent", "pending"] as const;
  // Core markup: the name goes into outcome texts (the lunch form gets the plain one).
  const name = escapeMarkup(contact.displayName);
  const now = deps.clock.now();
  const own = { messageRef: nudge.messageRef };
  const done = (text: string) => ({ text, changed: true, ...own });
  const stale = {
    text: `Already handled: ${describeNudgeStatus(nudge.status, name)}`,
    changed: false,
    ...own,
  };

  switch (action) {
    case "plan": {
      if (!open.includes(nudge.status as (typeof open)[number])) return stale;
      const teammates = await teammatesFor(deps, ws, contact.id, actor.id);
      return {
        text: `Planning lunch with ${name}…`,
        changed: false,
        ...own,
        lunchForm: { nudgeId, contactId: contact.id, contactName: contact.displayName, teammates },
      };
    }
    case "snooze": {
      const until = addDays(now, SNOOZE_DAYS);
      const ok = await deps.store.transitionNudge(ws.id, nudgeId, [...open], {
        status: "snoozed",
        snoozeUntil: until,
      });
      return ok ? done(`Snoozed: I'll ask about ${name} again in two weeks at the earliest.`) : stale;
    }
    case "met": {
      const ok = await deps.store.transitionNudge(ws.id, nudgeId, [...open], { status: "met" });
      if (!ok) return stale;
      await recordMet(deps, ws, actor, contact, now, "button");
      return done(`Great, you've already met ${name} in person. Noted.`);
    }
    case "not-contact":
    case "ignore": {
      if (!open.includes(nudge.status as (typeof open)[number])) return stale;
      // Hiding affects everyone who discusses the contact: ask first when that is not only the actor.
      const others = (await teammatesFor(deps, ws, contact.id, actor.id)).length;
      if (others > 0) {
        const doc = hideConfirmDoc({ nudgeId, contactName: contact.displayName, teammates: others });
        return { text: doc.summary, changed: false, ...own, doc };
      }
      return hide(deps, ws, nudge, contact, own);
    }
    case "hide":
      if (!open.includes(nudge.status as (typeof open)[number])) return stale;
      return hide(deps, ws, nudge, contact, own);
    case "keep": {
      if (!open.includes(nudge.status as (typeof open)[number])) return stale;
      const doc = promptDoc(await promptOf(deps, ws, actor, nudge, contact));
      return { text: doc.summary, changed: false, ...own, doc };
    }
    case "undo": {
      if (nudge.status !== "dismissed" || contact.status !== "ignored") return stale;
      const ok = await deps.store.transitionNudge(ws.id, nudgeId, ["dismissed"], { status: "sent" });
      if (!ok) return stale;
      // A lunch prompt is only ever about a tracked contact; a "who is this?" about a candidate.
      await deps.store.updateContact(ws.id, contact.id, {
        status: nudge.kind === "candidate" ? "candidate" : "tracked",
      });
      deps.tracker.invalidate(ws.id);
      const restored = { ...contact, status: nudge.kind === "candidate" ? "candidate" : "tracked" } as const;
      const doc = promptDoc(await promptOf(deps, ws, actor, nudge, restored));
      return { text: doc.summary, changed: true, ...own, doc };
    }
    case "track": {
      const ok = await deps.store.transitionNudge(ws.id, nudgeId, [...open], { status: "confirmed" });
      if (!ok) return stale;
      await deps.store.updateContact(ws.id, contact.id, { status: "tracked" });
      deps.tracker.invalidate(ws.id);
      return done(`Tracking ${name}. I'll suggest taking it offline when the time is right.`);
    }
  }
}

/** Hides the contact for the whole team (from an open prompt) and says so, with Undo. */
async function hide(
  deps: AppDeps,
  ws: Workspace,
  nudge: Nudge,
  contact: Contact,
  own: { messageRef: string | null },
): Promise<ActionOutcome> {
  const ok = await deps.store.transitionNudge(ws.id, nudge.id, ["sent", "pending"], { status: "dismissed" });
  if (!ok)
    return {
      text: `Already handled: ${describeNudgeStatus(nudge.status, escapeMarkup(contact.displayName))}`,
      changed: false,
      ...own,
    };
  await deps.store.updateContact(ws.id, contact.id, { status: "ignored" });
  deps.tracker.invalidate(ws.id);
  const doc = hiddenDoc({ nudgeId: nudge.id, contactName: contact.displayName });
  return { text: escapeMarkup(doc.summary), changed: true, ...own, doc };
}

/** Teammates (other than `exceptMemberId`) who discussed the contact lately: the lunch form's choices. */
export async function teammatesFor(deps: AppDeps, ws: Workspace, contactId: string, exceptMemberId: string) {
  const since = addDays(deps.clock.now(), -ws.settings.mentionWindowDays * 2);
  const events = await deps.store.mentionEvents(ws.id, since);
  // Most active first, as the prompt named them: the form preselects the first PROMPT_TEAMMATES.
  const ids = rankTeammates(events, contactId).filter((id) => id !== exceptMemberId);
  const byId = new Map((await deps.store.listMembers(ws.id)).map((m) => [m.id, m]));
  return ids
    .map((id) => byId.get(id))
    .filter((m): m is Member => !!m && !m.optedOut && !m.isBot)
    .map((m) => ({ id: m.id, platformUserId: m.platformUserId, name: m.displayName || m.realName }));
}

export function describeNudgeStatus(status: string, name: string): string {
  switch (status) {
    case "planned":
      return `a lunch with ${name} is planned.`;
    case "snoozed":
      return `snoozed for now.`;
    case "met":
      return `you've met ${name}.`;
    case "dismissed":
      return `${name} was marked as not an external contact.`;
    case "confirmed":
      return `${name} is tracked.`;
    default:
      return "this prompt expired.";
  }
}

/**
 * What the lunch form needs to plan a lunch with a contact without a prompt (the digest's Plan
 * lunch): null unless the contact is tracked, so a crafted click can't plan around a candidate.
 */
export async function lunchFormFor(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  contactId: string,
): Promise<(Omit<NonNullable<ActionOutcome["lunchForm"]>, "nudgeId"> & { nudgeId: null }) | null> {
  const contact = await deps.store.getContact(ws.id, contactId);
  if (contact?.status !== "tracked") return null;
  const teammates = await teammatesFor(deps, ws, contact.id, actor.id);
  return { nudgeId: null, contactId: contact.id, contactName: contact.displayName, teammates };
}
