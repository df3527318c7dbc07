// Use case: the lunch form's Cancel. The form took the prompt's place, so leaving it shows the
// prompt again, rebuilt from the nudge with today's numbers (prompt-of.ts), with all its buttons
// (Snooze, Already met, …). A form the digest opened has no prompt behind it: it just says nothing
// was planned.
import { escapeMarkup } from "../core/format.ts";
import type { Member, Workspace } from "../core/types.ts";
import type { AppDeps, Prompt } from "./ports.ts";
import { describeNudgeStatus } from "./prompt-action.ts";
import { promptOf } from "./prompt-of.ts";

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

  return { kind: "prompt", prompt: await promptOf(deps, ws, actor, nudge, contact) };
}
