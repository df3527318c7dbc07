// Use case: the nudge sweep. Evaluates the pure policy (core/nudges.ts) for one workspace and sends
// what it decides, each prompt at most once (the row exists before the DM goes out).
import { OPEN_LUNCH_STATUSES } from "../core/lunches.ts";
import { planSweep } from "../core/nudges.ts";
import { PROMPT_TEAMMATES } from "../core/prompt-text.ts";
import { asSendFailure, nothingWasSent } from "../core/send-failure.ts";
import { addDays } from "../core/time.ts";
import type { Member, Nudge, Workspace } from "../core/types.ts";
import { markNameOnly } from "./contacts.ts";
import { promptSettings } from "./mention-window.ts";
import { markTold, untoldCounted } from "./noticed-meetings.ts";
import type { AppDeps, ChatPort, Prompt } from "./ports.ts";
import { SNOOZE_DAYS } from "./prompt-action.ts";
import { failureNote, type SendFailureNote } from "./send-failures.ts";

export interface SweepReport {
  workspaceId: string;
  sent: number;
  failed: number;
  /** Decisions not sent this run because the platform is rate-limiting (the next sweep sends them). */
  deferred: number;
  promoted: number;
  skipped: number;
  failures: SendFailureNote[];
}

/** Prompts of one workspace in flight at once (each to a different member). */
const SEND_CONCURRENCY = 4;

/** Evaluates the nudge policy for one workspace and sends what it decides. Each nudge at most once. */
export async function runNudgeSweep(deps: AppDeps, ws: Workspace, chat: ChatPort): Promise<SweepReport> {
  const now = deps.clock.now();
  // The workspace's settings with the mention window fitted to its pace (mention-window.ts).
  const s = await promptSettings(deps, ws);
  const lookback = Math.max(s.pairCooldownDays, 14, SNOOZE_DAYS) + 7;
  const [events, members, nudges, lunches] = await Promise.all([
    deps.store.mentionEvents(ws.id, addDays(now, -s.mentionWindowDays)),
    deps.store.listMembers(ws.id),
    deps.store.listNudges(ws.id, { since: addDays(now, -lookback) }),
    deps.store.listLunches(ws.id, { status: [...OPEN_LUNCH_STATUSES] }),
  ]);
  const contactIds = [...new Set(events.map((e) => e.contactId))];
  const contacts = await markNameOnly(deps, ws, await deps.store.getContacts(ws.id, contactIds));
  // Candidate prompts are asked once ever: add older candidate nudges for these contacts.
  const olderCandidateNudges = await deps.store.listNudges(ws.id, {
    kind: "candidate",
    before: addDays(now, -lookback),
    contactIds,
  });
  // "unsent" prompts never reached the member: they count for nothing (no cooldown, no weekly
  // cap, not "asked"), so the pair is picked again; only a rate limit's retry time holds it back.
  const delivered = (n: Nudge) => n.status !== "unsent";
  const holdUntil = new Map<string, Date>();
  for (const n of nudges)
    if (n.status === "unsent" && n.snoozeUntil && n.snoozeUntil > now)
      holdUntil.set(`${n.memberId}:${n.contactId}`, n.snoozeUntil);
  const plan = planSweep({
    now,
    settings: s,
    workspaceTimezone: ws.timezone,
    members,
    contacts,
    mentions: events,
    recentNudges: [...nudges, ...olderCandidateNudges].filter(delivered),
    lunches,
  });
  for (const id of plan.promote) await deps.store.updateContact(ws.id, id, { status: "tracked" });
  if (plan.promote.length) deps.tracker.invalidate(ws.id);

  const byId = new Map(members.map((m) => [m.id, m]));
  const contactById = new Map(contacts.map((c) => [c.id, c]));
  let sent = 0;
  let failed = 0;
  let deferred = 0;
  let rateLimited = false;
  const failures: SendFailureNote[] = [];
  const decisions = [
    ...plan.nudges.map((d) => ({ ...d, question: "" })),
    ...plan.candidatePrompts.map((p) => ({ ...p, nudgedTogetherWith: [] as string[] })),
  ];
  const send = async (d: (typeof decisions)[number]): Promise<void> => {
    const member = byId.get(d.memberId);
    const contact = contactById.get(d.contactId);
    if (!member || !contact) return;
    // After a rate limit the platform refuses the rest too: leave them for the next sweep.
    if (rateLimited || holdUntil.has(`${d.memberId}:${d.contactId}`)) {
      deferred++;
      return;
    }
    // The row exists before the DM goes out: a crash after sending leaves it "pending", which
    // the policy treats as sent, so the prompt is never sent twice.
    const nudge = await deps.store.createNudge(ws.id, {
      memberId: member.id,
      contactId: contact.id,
      kind: d.kind,
      createdAt: deps.clock.now(),
    });
    // Meetings counted from their calendar since they were last told ride along, one line each.
    const counted = await untoldCounted(deps, ws, member);
    const prompt: Prompt =
      d.kind === "lunch"
        ? {
            kind: "lunch",
            nudgeId: nudge.id,
            contactId: contact.id,
            contactName: contact.displayName,
            organization: contact.organization,
            reason: d.reason,
            teammateNames: d.teammateIds
              .map((id) => byId.get(id))
              .filter((m): m is Member => !!m)
              .slice(0, PROMPT_TEAMMATES)
              .map((m) => m.displayName || m.realName),
            mentionCount: d.mentionCount,
            ...(counted.length ? { counted } : {}),
          }
        : {
            kind: "candidate",
            nudgeId: nudge.id,
            contactId: contact.id,
            contactName: contact.displayName,
            question: d.question,
            reason: d.reason,
            ...(counted.length ? { counted } : {}),
          };
    try {
      const ref = await chat.sendPrompt(ws, member, prompt);
      await deps.store.transitionNudge(ws.id, nudge.id, ["pending"], {
        status: "sent",
        sentAt: deps.clock.now(),
        messageRef: ref,
      });
      await markTold(deps, ws, counted);
      sent++;
    } catch (err) {
      failed++;
      const f = asSendFailure(err);
      failures.push(failureNote(f, { memberId: member.id, contactId: contact.id }));
      if (f.kind === "rate-limited") rateLimited = true;
      // Definitely not delivered: "unsent", which the policy ignores, so the next sweep asks again
      // (after the platform's Retry-After). Maybe delivered: "failed", which counts as sent for the
      // cooldown and the weekly cap, so the member never gets the same prompt twice.
      const retryAt =
        f.retryAfterMs !== undefined ? new Date(deps.clock.now().getTime() + f.retryAfterMs) : null;
      await deps.store.transitionNudge(
        ws.id,
        nudge.id,
        ["pending"],
        nothingWasSent(f) ? { status: "unsent", snoozeUntil: retryAt } : { status: "failed" },
      );
    }
  };
  // One member's prompts in order (the meetings counted for them ride on the first), several
  // members at once: a large workspace has hundreds due after an install or an import, and one at a
  // time each waits out its statements and the platform's answer in turn.
  const perMember = new Map<string, typeof decisions>();
  for (const d of decisions) {
    const list = perMember.get(d.memberId);
    if (list) list.push(d);
    else perMember.set(d.memberId, [d]);
  }
  const queue = [...perMember.values()];
  const lanes = Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) for (const d of next) await send(d);
  });
  const failedLane = (await Promise.allSettled(lanes)).find((r) => r.status === "rejected");
  if (failedLane) throw failedLane.reason;
  return {
    workspaceId: ws.id,
    sent,
    failed,
    deferred,
    promoted: plan.promote.length,
    skipped: plan.skipped.length,
    failures,
  };
}
