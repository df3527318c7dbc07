// Use case: the lunch form's Cancel. The form took the prompt's place, so leaving it shows the
// prompt again, rebuilt from the nudge with today's numbers, with all its buttons (Snooze, Already
// met, …). A form the digest opened has no prompt behind it: it just says nothing was planned.
import { escapeMarkup, plural } from "../core/format.ts";
import { candidateQuestion, lunchPromptReason, rankTeammates } from "../core/nudges.ts";
import { PROMPT_TEAMMATES } from "../core/prompt-text.ts";
import { addDays } from "../core/time.ts";
import type { Member, Workspace } from "../core/types.ts";
import { markNameOnly } from "./contacts.ts";
import type { AppDeps, Prompt } from "./ports.ts";
import { describeNudgeStatus } from "./prompt-action.ts";

export type ReopenedPrompt =
  | { kind: "prompt"; prompt: Prompt }
  /** Nothing to go back to: this text (core markup) replaces the form. */
  | { kind: "outcome"; text: string };

export async function reopenPrompt(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  nudgeId: string | null,
  contactId: string,
): Promise<ReopenedPrompt> {
  const outcome = (text: string): ReopenedPrompt => ({ kind: "outcome", text });
  if (!nudgeId) {
    const contact = await deps.store.getContact(ws.id, contactId);
    return outcome(
      contact
        ? `No lunch planned with ${escapeMarkup(contact.displayName)}. Plan lunch in the digest whenever you like.`
        : "No lunch planned.",
    );
  }
  const nudge = await deps.store.getNudge(ws.id, nudgeId);
  if (!nudge) return outcome("This prompt no longer exists.");
  if (nudge.memberId !== actor.id) return outcome("This prompt was meant for someone else.");
  const contact = await deps.store.getContact(ws.id, nudge.contactId);
  if (!contact) return outcome("That contact was removed.");
  if (nudge.status !== "sent" && nudge.status !== "pending")
    return outcome(
      `Already handled: ${describeNudgeStatus(nudge.status, escapeMarkup(contact.displayName))}`,
    );

  const now = deps.clock.now();
  // The sweep's counting rule: mentions in the window that came after the team last met them.
  const since = addDays(now, -ws.settings.mentionWindowDays);
  const lastMet = contact.lastMetAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const events = (await deps.store.mentionEvents(ws.id, since)).filter(
    (e) => e.contactId === contact.id && e.at.getTime() > lastMet,
  );
  const mentionCount = events.filter((e) => e.memberId === actor.id).length;
  if (nudge.kind === "candidate") {
    const [named] = await markNameOnly(deps, ws, [contact]);
    const times = mentionCount === 1 ? "once" : `${mentionCount} times`;
    return {
      kind: "prompt",
      prompt: {
        kind: "candidate",
        nudgeId: nudge.id,
        contactId: contact.id,
        contactName: contact.displayName,
        question: candidateQuestion(named ?? { ...contact, nameOnly: false }),
        reason: `You mentioned ${contact.displayName} ${times} in the last ${plural(ws.settings.mentionWindowDays, "day")}.`,
      },
    };
  }
  const byId = new Map((await deps.store.listMembers(ws.id)).map((m) => [m.id, m]));
  const teammateNames = rankTeammates(events, contact.id)
    .filter((id) => id !== actor.id)
    .map((id) => byId.get(id))
    .filter((m): m is Member => !!m && !m.optedOut && !m.isBot)
    .map((m) => m.displayName || m.realName);
  return {
    kind: "prompt",
    prompt: {
      kind: "lunch",
      nudgeId: nudge.id,
      contactId: contact.id,
      contactName: contact.displayName,
      organization: contact.organization,
      reason: lunchPromptReason(
        { mentionCount, lastMetAt: contact.lastMetAt, teammateNames },
        ws.settings,
        now,
      ),
      teammateNames: teammateNames.slice(0, PROMPT_TEAMMATES),
      mentionCount,
    },
  };
}
