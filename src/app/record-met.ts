// Use case: record that a member met a contact in person (a button, `met`, a lunch that happened).
// Any recorded meeting resets the nudge clock for that contact.
import type { Contact, Member, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";

export async function recordMet(
  deps: AppDeps,
  ws: Workspace,
  member: Member,
  contact: Contact,
  metAt: Date,
  source: "button" | "command" | "lunch",
  lunchId?: string,
): Promise<void> {
  await deps.store.recordMeeting(ws.id, {
    contactId: contact.id,
    memberId: member.id,
    metAt,
    source,
    lunchId: lunchId ?? null,
  });
}
