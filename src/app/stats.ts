// Use case: `stats`, the team's and the member's own numbers for the last 30 days.
import { plural } from "../core/format.ts";
import { isPaused } from "../core/nudges.ts";
import { addDays, DAY_MS } from "../core/time.ts";
import type { Member, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";
import type { Reply } from "./run-command.ts";

export async function statsReply(deps: AppDeps, ws: Workspace, actor: Member): Promise<Reply> {
  const now = deps.clock.now();
  const since = addDays(now, -30);
  const [all, mine, lunches, nudges] = await Promise.all([
    deps.store.listContactStats(ws.id, { since, status: "tracked" }),
    deps.store.listContactStats(ws.id, { since, status: "tracked", memberId: actor.id }),
    deps.store.listLunches(ws.id, { from: since }),
    deps.store.listNudges(ws.id, { since, memberId: actor.id }),
  ]);
  const met = all.filter(
    (s) => s.contact.lastMetAt && now.getTime() - s.contact.lastMetAt.getTime() < 90 * DAY_MS,
  ).length;
  return {
    kind: "text",
    text: [
      "Last 30 days:",
      `• Team: ${plural(all.length, "external contact")} discussed, ${met} of them met in person within 90 days.`,
      `• Lunches: ${lunches.filter((l) => l.status !== "cancelled").length} planned, ${lunches.filter((l) => l.status === "met").length} held.`,
      `• You: talked about ${plural(mine.length, "contact")}, got ${plural(nudges.length, "prompt")}.`,
      isPaused(actor, now) ? "• Your prompts are paused." : "• Your prompts are on.",
    ].join("\n"),
  };
}
