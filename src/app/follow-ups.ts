// Use cases around "did it happen?": sending the follow-up the day after a lunch (scheduled, each
// at most once across replicas) and recording the answer.
import { escapeMarkup, formatWhen } from "../core/format.ts";
import { applyLunchEvent } from "../core/lunches.ts";
import type { FollowUpAnswer } from "../core/messages/doc.ts";
import { outcomeDoc } from "../core/messages/prompt.ts";
import { memberTimeZone } from "../core/nudges.ts";
import { command, PROMPT_LABELS } from "../core/prompt-text.ts";
import { asSendFailure, nothingWasSent } from "../core/send-failure.ts";
import type { Member, Workspace } from "../core/types.ts";
import type { AppDeps, ChatPort } from "./ports.ts";
import type { ActionOutcome } from "./prompt-action.ts";
import { failureNote, type SendFailureNote } from "./send-failures.ts";

export interface FollowUpReport {
  sent: number;
  failed: number;
  failures: Array<SendFailureNote & { workspaceId: string }>;
}

/**
 * "Did it happen?" — yes records the meeting for everyone who went; "not yet" keeps the lunch open
 * (asked again in POSTPONE_DAYS, or a new date with `lunch`); "it's off" cancels. A boolean is the
 * older yes/no answer (buttons sent before "not yet" existed).
 */
export async function answerFollowUp(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  lunchId: string,
  answer: FollowUpAnswer | boolean,
): Promise<ActionOutcome> {
  const said: FollowUpAnswer = answer === true ? "happened" : answer === false ? "off" : answer;
  const lunch = await deps.store.getLunch(ws.id, lunchId);
  if (!lunch) return { text: "That lunch no longer exists.", changed: false };
  if (lunch.organizerId !== actor.id && !lunch.attendeeIds.includes(actor.id))
    return { text: "This lunch isn't yours.", changed: false };
  const contact = await deps.store.getContact(ws.id, lunch.contactId);
  const name = contact ? escapeMarkup(contact.displayName) : "your contact";
  const tz = memberTimeZone(actor.tz, ws.timezone);
  const event = { happened: "happened", later: "postpone", off: "did-not-happen" } as const;
  const result = applyLunchEvent(lunch, { type: event[said] }, deps.clock.now(), tz);
  if (!result.ok) {
    const final = lunch.status === "met" || lunch.status === "cancelled";
    return {
      text: final
        ? `Already answered: the lunch with ${name} is ${lunch.status === "met" ? "recorded as held" : "cancelled"}.`
        : result.error,
      changed: false,
    };
  }
  const saved = await deps.store.saveLunch(ws.id, result.lunch, lunch.status);
  if (!saved) return { text: `Already answered for the lunch with ${name}.`, changed: false };
  for (const m of result.meetings) {
    await deps.store.recordMeeting(ws.id, { ...m, lunchId: lunch.id });
  }
  switch (said) {
    case "happened":
      return { text: `Wonderful — lunch with ${name} recorded. That's taking it offline.`, changed: true };
    case "later": {
      const again = result.lunch.followUpAt ? formatWhen(result.lunch.followUpAt, tz) : "in a week";
      const text = `Still on: the lunch with ${name} stays open and I'll ask again on ${again}. Got a new date? Pick it here, or set it with ${command("lunch")} and the name.`;
      // The lunch form for this contact: a date sent from it updates this lunch (plan-lunch.ts).
      const doc = outcomeDoc(text, undefined, [
        { label: PROMPT_LABELS.newDate, action: { kind: "plan-contact", contactId: lunch.contactId } },
      ]);
      return { text, changed: true, doc };
    }
    case "off":
      return {
        text: `No worries. The lunch with ${name} is cancelled; plan another any time with ${command("lunch")}.`,
        changed: true,
      };
  }
}

/** Sends "did it happen?" for lunches whose follow-up is due, across workspaces. Each at most once. */
export async function runFollowUps(
  deps: AppDeps,
  chatFor: (ws: Workspace) => ChatPort | null,
): Promise<FollowUpReport> {
  const now = deps.clock.now();
  let sent = 0;
  let failed = 0;
  const failures: FollowUpReport["failures"] = [];
  for (const lunch of await deps.store.dueFollowUps(now)) {
    const ws = await deps.store.getWorkspace(lunch.workspaceId);
    const chat = ws && chatFor(ws);
    if (!ws || !chat) continue;
    const organizer = await deps.store.getMemberById(ws.id, lunch.organizerId);
    if (!organizer || organizer.optedOut) continue;
    const next = applyLunchEvent(
      lunch,
      { type: "follow-up-sent" },
      now,
      memberTimeZone(organizer.tz, ws.timezone),
    );
    if (!next.ok) continue;
    // Claim first (compare-and-set on status): of two replicas, only one sends.
    const claimed = await deps.store.saveLunch(ws.id, { ...next.lunch, followUpSent: now }, lunch.status);
    if (!claimed) continue;
    const contact = await deps.store.getContact(ws.id, lunch.contactId);
    try {
      await chat.sendPrompt(ws, organizer, {
        kind: "follow-up",
        lunchId: lunch.id,
        contactName: contact?.displayName ?? "your contact",
        when: lunch.scheduledFor
          ? formatWhen(lunch.scheduledFor, memberTimeZone(organizer.tz, ws.timezone))
          : null,
        place: lunch.place,
      });
      sent++;
    } catch (err) {
      failed++;
      const f = asSendFailure(err);
      failures.push({
        workspaceId: ws.id,
        ...failureNote(f, { memberId: organizer.id, contactId: lunch.contactId, lunchId: lunch.id }),
      });
      // Not delivered: give the claim back so the next run asks again. Maybe delivered: keep it.
      if (nothingWasSent(f)) await deps.store.saveLunch(ws.id, lunch, next.lunch.status);
    }
  }
  return { sent, failed, failures };
}
