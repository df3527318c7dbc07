// One way to turn a stored prompt (a nudge) back into the Prompt the sweep sent: the lunch form's
// Cancel, an Undo, a "keep" and the home view all show it with today's numbers and the same
// reason sentence, so a prompt reads the same wherever it comes back.
import { plural } from "../core/format.ts";
import { candidateQuestion, lunchPromptReason, rankTeammates } from "../core/nudges.ts";
import { PROMPT_TEAMMATES } from "../core/prompt-text.ts";
import type { WorkspaceSettings } from "../core/settings.ts";
import { addDays } from "../core/time.ts";
import type { Contact, Member, Nudge, Workspace } from "../core/types.ts";
import { markNameOnly } from "./contacts.ts";
import { promptSettings } from "./mention-window.ts";
import type { AppDeps, Prompt } from "./ports.ts";

/** What rebuilding prompts reads; load it once when rebuilding several (the home view). */
export interface PromptContext {
  /** The sweep's settings (the mention window fitted to the workspace's pace). */
  settings: WorkspaceSettings;
  events: Array<{ memberId: string; contactId: string; at: Date }>;
  members: Member[];
}

export async function loadPromptContext(deps: AppDeps, ws: Workspace): Promise<PromptContext> {
  const settings = await promptSettings(deps, ws);
  const since = addDays(deps.clock.now(), -settings.mentionWindowDays);
  const [events, members] = await Promise.all([
    deps.store.mentionEvents(ws.id, since),
    deps.store.listMembers(ws.id),
  ]);
  return { settings, events, members };
}

/** The prompt `nudge` is, for its member `actor`, as the sweep would word it now. */
export async function promptOf(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  nudge: Nudge,
  contact: Contact & { nameOnly?: boolean },
  context?: PromptContext,
): Promise<Prompt> {
  const { settings, events: all, members } = context ?? (await loadPromptContext(deps, ws));
  const now = deps.clock.now();
  // The sweep's counting rule: mentions in the window that came after the team last met them.
  const lastMet = contact.lastMetAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const events = all.filter((e) => e.contactId === contact.id && e.at.getTime() > lastMet);
  const mentionCount = events.filter((e) => e.memberId === actor.id).length;
  if (nudge.kind === "candidate") {
    const [marked] = contact.nameOnly === undefined ? await markNameOnly(deps, ws, [contact]) : [contact];
    const times = mentionCount === 1 ? "once" : `${mentionCount} times`;
    return {
      kind: "candidate",
      nudgeId: nudge.id,
      contactId: contact.id,
      contactName: contact.displayName,
      question: candidateQuestion(marked ?? { ...contact, nameOnly: false }),
      reason: `You mentioned ${contact.displayName} ${times} in the last ${plural(settings.mentionWindowDays, "day")}.`,
    };
  }
  const byId = new Map(members.map((m) => [m.id, m]));
  const teammateNames = rankTeammates(events, contact.id)
    .filter((id) => id !== actor.id)
    .map((id) => byId.get(id))
    .filter((m): m is Member => !!m && !m.optedOut && !m.isBot)
    .map((m) => m.displayName || m.realName);
  return {
    kind: "lunch",
    nudgeId: nudge.id,
    contactId: contact.id,
    contactName: contact.displayName,
    organization: contact.organization,
    reason: lunchPromptReason({ mentionCount, lastMetAt: contact.lastMetAt, teammateNames }, settings, now),
    teammateNames: teammateNames.slice(0, PROMPT_TEAMMATES),
    mentionCount,
  };
}
