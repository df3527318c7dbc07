// Use case: `stats`, the team's and the member's own numbers for the last 30 days. The numbers are
// plain data (the home view shows them too); statsReply words them.
import { plural } from "../core/format.ts";
import { pauseState } from "../core/messages/home.ts";
import { isPaused, memberTimeZone } from "../core/nudges.ts";
import { addDays, DAY_MS } from "../core/time.ts";
import type { Member, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";
import type { Reply } from "./run-command.ts";

const STATS_DAYS = 30;
const MET_WITHIN_DAYS = 90;

export interface Numbers {
  /** The window the numbers cover, in days up to now. */
  days: number;
  team: {
    /** Tracked contacts the team discussed. */
    contacts: number;
    /** …of which met in person within 90 days. */
    met: number;
    lunchesPlanned: number;
    lunchesHeld: number;
  };
  mine: {
    /** Tracked contacts this member talked about. */
    contacts: number;
    prompts: number;
    paused: boolean;
  };
}

export async function numbers(deps: AppDeps, ws: Workspace, member: Member): Promise<Numbers> {
  const now = deps.clock.now();
  const since = addDays(now, -STATS_DAYS);
  const [all, mine, lunches, nudges] = await Promise.all([
    deps.store.listContactStats(ws.id, { since, status: "tracked" }),
    deps.store.listContactStats(ws.id, { since, status: "tracked", memberId: member.id }),
    deps.store.listLunches(ws.id, { from: since }),
    deps.store.listNudges(ws.id, { since, memberId: member.id }),
  ]);
  const met = all.filter(
    (s) => s.contact.lastMetAt && now.getTime() - s.contact.lastMetAt.getTime() < MET_WITHIN_DAYS * DAY_MS,
  ).length;
  return {
    days: STATS_DAYS,
    team: {
      contacts: all.length,
      met,
      lunchesPlanned: lunches.filter((l) => l.status !== "cancelled").length,
      lunchesHeld: lunches.filter((l) => l.status === "met").length,
    },
    mine: { contacts: mine.length, prompts: nudges.length, paused: isPaused(member, now) },
  };
}

export async function statsReply(deps: AppDeps, ws: Workspace, actor: Member): Promise<Reply> {
  const n = await numbers(deps, ws, actor);
  return {
    kind: "text",
    text: [
      `Last ${n.days} days:`,
      `• Team: ${plural(n.team.contacts, "external contact")} discussed, ${n.team.met} of them met in person within ${MET_WITHIN_DAYS} days.`,
      `• Lunches: ${n.team.lunchesPlanned} planned, ${n.team.lunchesHeld} held.`,
      `• You: talked about ${plural(n.mine.contacts, "contact")}, got ${plural(n.mine.prompts, "prompt")}.`,
      // A pause always says when it ends (issue 20 item 6), in the member's zone.
      `• ${pauseState({ paused: n.mine.paused, pausedUntil: actor.pausedUntil }, memberTimeZone(actor.tz, ws.timezone))}`,
    ].join("\n"),
  };
}
