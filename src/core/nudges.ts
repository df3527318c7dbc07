// Nudge policy: who to prompt about whom, and when. Pure: the scheduler loads rows, calls
// planSweep() (or planNudges / planCandidatePrompts) and stores/sends what comes back.
//
// Every (member, contact) pair the member mentioned in the window gets exactly one outcome: a
// decision, or a skip naming the first rule that blocked it. Rules are checked in a fixed order,
// from "never for this pair as things stand" to "not right now", so a skip explains the most
// fundamental reason (a paused member who is below threshold is reported as below-threshold):
//
//   lunch:     bot, opted-out, not-tracked, recently-met, below-threshold, lunch-open, snoozed,
//              cooldown, paused, outside-working-hours, weekly-cap
//   candidate: bot, opted-out, below-threshold, already-asked, paused, outside-working-hours,
//              weekly-cap
//
// The weekly cap is applied last, per member, over the eligible pairs in priority order (lunch
// nudges before candidate prompts, then strongest signal), so the cap keeps the best ones.
import { isLunchOpen, lunchMemberIds } from "./lunches.ts";
import { PROMPT_TEAMMATES } from "./prompt-text.ts";
import type { WorkspaceSettings } from "./settings.ts";
import {
  DAY_MS,
  isoWeek,
  isoWeekRange,
  isValidTimeZone,
  safeTimeZone,
  zonedParts,
  zonedTimeToUtc,
} from "./time.ts";
import type { Contact, Lunch, Member, Nudge, NudgeKind } from "./types.ts";

/**
 * One recorded mention. Individual timestamps (not pre-aggregated counts) so this module owns
 * every counting rule: the window, and "only mentions after contact.lastMetAt count". The caller
 * loads mentions with `at >= now - mentionWindowDays`; older or future rows are ignored anyway.
 */
export interface MentionEvent {
  memberId: string;
  contactId: string;
  at: Date;
}

export type NudgeMember = Pick<
  Member,
  "id" | "displayName" | "tz" | "optedOut" | "paused" | "pausedUntil" | "isBot"
>;
export type NudgeContact = Pick<Contact, "id" | "displayName" | "status" | "lastMetAt"> & {
  /**
   * Only the name tagger vouches for this contact: no address, handle, link or platform identity,
   * and nobody registered it (see isNameOnly in contacts.ts). Such a candidate is never promoted
   * on mentions alone: a person must confirm it, and the prompt asks exactly that.
   */
  nameOnly?: boolean;
};
export type PriorNudge = Pick<
  Nudge,
  "memberId" | "contactId" | "kind" | "status" | "createdAt" | "snoozeUntil"
>;
export type LunchRef = Pick<Lunch, "contactId" | "organizerId" | "attendeeIds" | "status">;

export interface NudgeCandidateInput {
  now: Date;
  settings: WorkspaceSettings;
  /** Used for members without a (valid) tz of their own. */
  workspaceTimezone: string;
  /** All members of the workspace. Mentions by members not listed here are ignored. */
  members: NudgeMember[];
  contacts: NudgeContact[];
  mentions: MentionEvent[];
  /**
   * Nudges the policy must know about: at least those created within pairCooldownDays, those
   * created since the start of last week (weekly cap), snoozed ones whose snoozeUntil is still
   * ahead, and every "candidate" nudge ever for contacts still in candidate status (asked once).
   */
  recentNudges: PriorNudge[];
  /** Lunches of the workspace; only open ones (planned / scheduled / followup) matter. */
  lunches: LunchRef[];
}

export interface NudgeDecision {
  memberId: string;
  contactId: string;
  kind: "lunch";
  /** Mentions by this member in the window, after the contact was last met. */
  mentionCount: number;
  lastMentionAt: Date;
  /** Other members (not bots, not opted out) who mentioned the contact in the window; most active first. */
  teammateIds: string[];
  /** Members nudged about the same contact in this sweep (a subset of teammateIds). */
  nudgedTogetherWith: string[];
  /** Shared by every decision about the same contact in the same sweep: `${contactId}@${now ISO}`. */
  groupKey: string;
  /** Human "why now", ready for the DM. */
  reason: string;
}

export interface CandidatePrompt {
  memberId: string;
  contactId: string;
  kind: "candidate";
  mentionCount: number;
  lastMentionAt: Date;
  teammateIds: string[];
  /** "Is Jane Doe someone outside the company you'd like to meet?" */
  question: string;
  reason: string;
}

export type NudgeSkipRule =
  | "below-threshold"
  | "cooldown"
  | "weekly-cap"
  | "outside-working-hours"
  | "opted-out"
  | "paused"
  | "snoozed"
  | "recently-met"
  | "not-tracked"
  | "lunch-open"
  | "bot"
  | "already-asked";

export interface NudgeSkip {
  memberId: string;
  contactId: string;
  kind: NudgeKind;
  rule: NudgeSkipRule;
  /** When this rule stops blocking, if the policy knows (end of cooldown, snooze, week, next working hours). */
  until: Date | null;
}

export interface SweepPlan {
  /** Candidate ids that crossed the promotion threshold; they are treated as tracked in this plan. */
  promote: string[];
  nudges: NudgeDecision[];
  candidatePrompts: CandidatePrompt[];
  skipped: NudgeSkip[];
}

type WorkingHours = Pick<WorkspaceSettings, "workingDays" | "workingHourStart" | "workingHourEnd">;

/** True when `now` is on a working day within [workingHourStart, workingHourEnd) on the zone's wall clock. */
export function isWithinWorkingHours(
  now: Date,
  timeZone: string | null | undefined,
  settings: WorkingHours,
): boolean {
  const local = zonedParts(now, safeTimeZone(timeZone));
  return (
    settings.workingDays.includes(local.weekday) &&
    local.hour >= settings.workingHourStart &&
    local.hour < settings.workingHourEnd
  );
}

/**
 * `now` when inside working hours, else the start of the next working window in the zone, or null
 * when the settings allow no window at all (no working days, or start >= end).
 */
export function nextWorkingTime(
  now: Date,
  timeZone: string | null | undefined,
  settings: WorkingHours,
): Date | null {
  const tz = safeTimeZone(timeZone);
  if (settings.workingDays.length === 0 || settings.workingHourStart >= settings.workingHourEnd) return null;
  const today = zonedParts(now, tz);
  const todayUtcMidnight = Date.UTC(today.year, today.month - 1, today.day);
  // Walk the local calendar (not 24h steps) so DST days of 23 or 25 hours land on the right date.
  // Eight days: today's window may be over, and the same weekday next week is the last resort.
  for (let offset = 0; offset <= 7; offset++) {
    const day = new Date(todayUtcMidnight + offset * DAY_MS);
    const weekday = day.getUTCDay() || 7;
    if (!settings.workingDays.includes(weekday)) continue;
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    const start = zonedTimeToUtc({ ...date, hour: settings.workingHourStart }, tz);
    const end = zonedTimeToUtc({ ...date, hour: settings.workingHourEnd }, tz);
    if (now.getTime() < start.getTime()) return start;
    if (now.getTime() < end.getTime()) return new Date(now);
  }
  return null;
}

/** The zone a member's working hours and ISO week are read in. */
export function memberTimeZone(memberTz: string | null | undefined, workspaceTimezone: string): string {
  return memberTz && isValidTimeZone(memberTz) ? memberTz : safeTimeZone(workspaceTimezone);
}

/** True while a member's prompts are paused: with no end (until `resume`), or until a time still ahead. */
export function isPaused(member: Pick<Member, "paused" | "pausedUntil">, now: Date): boolean {
  return member.paused && (member.pausedUntil === null || member.pausedUntil.getTime() > now.getTime());
}

/**
 * Candidates (names nobody confirmed yet) that enough of the team talks about to be tracked
 * automatically: >= candidateThreshold mentions in total within the window, from
 * >= candidateMinTeammates distinct members. With `members`, only their non-bot members count.
 * Never a name-only candidate (NudgeContact.nameOnly): only a person confirms those. Sorted ids.
 */
export function candidatesToPromote(
  candidates: NudgeContact[],
  mentions: MentionEvent[],
  options: { now: Date; settings: WorkspaceSettings; members?: Array<Pick<Member, "id" | "isBot">> },
): string[] {
  const counted = options.members ? new Set(options.members.filter((m) => !m.isBot).map((m) => m.id)) : null;
  const signals = collectSignals(
    options.now,
    options.settings,
    candidates,
    mentions,
    (id) => counted?.has(id) ?? true,
  );
  const promote: string[] = [];
  for (const contact of candidates) {
    // A name the tagger found may be a restaurant or a city: mentions don't make it a person.
    if (contact.status !== "candidate" || contact.nameOnly) continue;
    const perMember = (signals.get(contact.id) ?? []).filter((s) => s.count > 0);
    const total = perMember.reduce((sum, s) => sum + s.count, 0);
    if (
      total >= options.settings.candidateThreshold &&
      perMember.length >= options.settings.candidateMinTeammates
    ) {
      promote.push(contact.id);
    }
  }
  return promote.sort(compareStrings);
}

/** Lunch nudges only. Contacts that are not tracked (candidates included) are skipped as "not-tracked". */
export function planNudges(input: NudgeCandidateInput): { nudges: NudgeDecision[]; skipped: NudgeSkip[] } {
  const plan = buildPlan(input, { lunch: true, candidates: false, promote: false });
  return { nudges: plan.nudges, skipped: plan.skipped };
}

/**
 * "Is X someone outside the company you'd like to meet?" prompts about candidates only (other
 * contacts are ignored). Once ever per (member, candidate). To share the weekly cap with lunch
 * nudges planned in the same sweep, use planSweep (or add those to recentNudges).
 */
export function planCandidatePrompts(input: NudgeCandidateInput): {
  prompts: CandidatePrompt[];
  skipped: NudgeSkip[];
} {
  const plan = buildPlan(input, { lunch: false, candidates: true, promote: false });
  return { prompts: plan.candidatePrompts, skipped: plan.skipped };
}

/**
 * One scheduler sweep: promotes candidates that crossed the team threshold (and treats them as
 * tracked right away), then plans lunch nudges and candidate prompts under one shared weekly cap,
 * lunch nudges first.
 */
export function planSweep(input: NudgeCandidateInput): SweepPlan {
  return buildPlan(input, { lunch: true, candidates: true, promote: true });
}

/**
 * The members who mentioned a contact, most active first (most mentions, then the latest): the
 * order a lunch prompt names teammates in, so the lunch form preselects the same ones.
 */
export function rankTeammates(mentions: readonly MentionEvent[], contactId: string): string[] {
  const byMember = new Map<string, Signal>();
  for (const m of mentions) {
    if (m.contactId !== contactId) continue;
    const s = byMember.get(m.memberId) ?? { memberId: m.memberId, contactId, count: 0, lastAt: 0 };
    s.count++;
    s.lastAt = Math.max(s.lastAt, m.at.getTime());
    byMember.set(m.memberId, s);
  }
  return [...byMember.values()].sort(bySignalStrength).map((s) => s.memberId);
}

// ---------------------------------------------------------------------------------------------

interface Signal {
  memberId: string;
  contactId: string;
  /** Mentions in the window after lastMetAt; 0 when all of them predate the last meeting. */
  count: number;
  lastAt: number;
}

interface Eligible {
  kind: NudgeKind;
  member: NudgeMember;
  contact: NudgeContact;
  signal: Signal;
  teammates: Signal[];
  tz: string;
}

interface Mode {
  lunch: boolean;
  candidates: boolean;
  promote: boolean;
}

function buildPlan(input: NudgeCandidateInput, mode: Mode): SweepPlan {
  const { now, settings } = input;
  const membersById = new Map(input.members.map((m) => [m.id, m]));
  const promote = mode.promote
    ? candidatesToPromote(input.contacts, input.mentions, { now, settings, members: input.members })
    : [];
  const promoted = new Set(promote);
  const contacts = input.contacts.map((c) => (promoted.has(c.id) ? { ...c, status: "tracked" as const } : c));
  const contactsById = new Map(contacts.map((c) => [c.id, c]));
  const signals = collectSignals(now, settings, contacts, input.mentions, (id) => membersById.has(id));
  const lastNudge = latestNudgeByPair(input.recentNudges);
  const askedCandidates = new Set(
    input.recentNudges.filter((n) => n.kind === "candidate").map((n) => pairKey(n.memberId, n.contactId)),
  );
  const openLunchPairs = new Set<string>();
  for (const lunch of input.lunches) {
    if (!isLunchOpen(lunch)) continue;
    for (const memberId of lunchMemberIds(lunch)) openLunchPairs.add(pairKey(memberId, lunch.contactId));
  }

  const skipped: NudgeSkip[] = [];
  const eligible: Eligible[] = [];

  for (const [contactId, contactSignals] of signals) {
    const contact = contactsById.get(contactId);
    const kind: NudgeKind | null =
      contact?.status === "candidate" && mode.candidates ? "candidate" : mode.lunch ? "lunch" : null;
    if (kind === null) continue;
    // Teammates are only people who could go along: bots and opted-out members are not named to others.
    const discussants = contactSignals
      .filter((s) => s.count > 0)
      .filter((s) => {
        const m = membersById.get(s.memberId);
        return m !== undefined && !m.isBot && !m.optedOut;
      })
      .sort(bySignalStrength);

    for (const signal of contactSignals) {
      const member = membersById.get(signal.memberId);
      if (!member) continue;
      const tz = memberTimeZone(member.tz, input.workspaceTimezone);
      const skip = (rule: NudgeSkipRule, until: Date | null = null): void => {
        skipped.push({ memberId: member.id, contactId, kind, rule, until });
      };
      const pair = pairKey(member.id, contactId);

      if (member.isBot) {
        skip("bot");
        continue;
      }
      if (member.optedOut) {
        skip("opted-out");
        continue;
      }
      // Candidate pairs always have a contact (that is how they became candidate pairs).
      if (!contact || (kind === "lunch" && contact.status !== "tracked")) {
        skip("not-tracked");
        continue;
      }
      if (kind === "lunch") {
        if (
          contact.lastMetAt &&
          now.getTime() - contact.lastMetAt.getTime() < settings.recentlyMetDays * DAY_MS
        ) {
          skip("recently-met", new Date(contact.lastMetAt.getTime() + settings.recentlyMetDays * DAY_MS));
          continue;
        }
        if (signal.count < settings.mentionThreshold) {
          skip("below-threshold");
          continue;
        }
        if (openLunchPairs.has(pair)) {
          skip("lunch-open");
          continue;
        }
        const last = lastNudge.get(pair);
        if (last?.status === "snoozed" && last.snoozeUntil) {
          // A snooze is the member's own "ask me later": it replaces the cooldown, both ways.
          if (last.snoozeUntil.getTime() > now.getTime()) {
            skip("snoozed", new Date(last.snoozeUntil));
            continue;
          }
        } else if (last && now.getTime() - last.createdAt.getTime() < settings.pairCooldownDays * DAY_MS) {
          skip("cooldown", new Date(last.createdAt.getTime() + settings.pairCooldownDays * DAY_MS));
          continue;
        }
      } else {
        if (signal.count < settings.candidateThreshold) {
          skip("below-threshold");
          continue;
        }
        if (askedCandidates.has(pair)) {
          skip("already-asked");
          continue;
        }
      }
      if (isPaused(member, now)) {
        skip("paused", member.pausedUntil && new Date(member.pausedUntil));
        continue;
      }
      if (!isWithinWorkingHours(now, tz, settings)) {
        skip("outside-working-hours", nextWorkingTime(now, tz, settings));
        continue;
      }
      eligible.push({
        kind,
        member,
        contact,
        signal,
        teammates: discussants.filter((s) => s.memberId !== member.id),
        tz,
      });
    }
  }

  eligible.sort(byPriority);
  const chosen: Eligible[] = [];
  const usedThisWeek = new Map<string, number>();
  for (const e of eligible) {
    const week = isoWeek(now, e.tz);
    let used = usedThisWeek.get(e.member.id);
    if (used === undefined) {
      used = input.recentNudges.filter(
        (n) => n.memberId === e.member.id && isoWeek(n.createdAt, e.tz) === week,
      ).length;
    }
    if (used >= settings.weeklyCapPerMember) {
      skipped.push({
        memberId: e.member.id,
        contactId: e.contact.id,
        kind: e.kind,
        rule: "weekly-cap",
        until: isoWeekRange(week, e.tz).end,
      });
      usedThisWeek.set(e.member.id, used);
      continue;
    }
    usedThisWeek.set(e.member.id, used + 1);
    chosen.push(e);
  }

  const groupKey = (contactId: string) => `${contactId}@${now.toISOString()}`;
  const nudgedByContact = new Map<string, string[]>();
  for (const e of chosen) {
    if (e.kind !== "lunch") continue;
    nudgedByContact.set(e.contact.id, [...(nudgedByContact.get(e.contact.id) ?? []), e.member.id]);
  }
  const nameOf = (id: string) => membersById.get(id)?.displayName ?? id;

  const nudges: NudgeDecision[] = [];
  const candidatePrompts: CandidatePrompt[] = [];
  for (const e of chosen) {
    const teammateIds = e.teammates.map((s) => s.memberId);
    const base = {
      memberId: e.member.id,
      contactId: e.contact.id,
      mentionCount: e.signal.count,
      lastMentionAt: new Date(e.signal.lastAt),
      teammateIds,
    };
    if (e.kind === "lunch") {
      const together = new Set(nudgedByContact.get(e.contact.id) ?? []);
      nudges.push({
        ...base,
        kind: "lunch",
        nudgedTogetherWith: teammateIds.filter((id) => together.has(id)),
        groupKey: groupKey(e.contact.id),
        reason: lunchReason(e, teammateIds.map(nameOf), settings, now),
      });
    } else {
      candidatePrompts.push({
        ...base,
        kind: "candidate",
        question: candidateQuestion(e.contact),
        reason: `You mentioned ${e.contact.displayName} ${times(e.signal.count)} in the last ${plural(settings.mentionWindowDays, "day")}.`,
      });
    }
  }

  skipped.sort(
    (a, b) =>
      compareStrings(a.memberId, b.memberId) ||
      compareStrings(a.contactId, b.contactId) ||
      compareStrings(a.kind, b.kind),
  );
  return { promote, nudges, candidatePrompts, skipped };
}

/**
 * What a candidate prompt asks. About a name only the tagger found, first whether it is a person
 * outside the team at all (it may be a place, a product or a teammate's nickname); about an
 * address or a handle, whether they'd like to meet them.
 */
export function candidateQuestion(contact: Pick<NudgeContact, "displayName" | "nameOnly">): string {
  return contact.nameOnly
    ? `Is ${contact.displayName} someone outside the team?`
    : `Is ${contact.displayName} someone outside the company you'd like to meet?`;
}

/**
 * Per contact, per member: mentions in [now - window, now] that came after the contact's last
 * meeting. Pairs whose mentions all predate the meeting stay in with count 0, so they still get
 * a skip that explains why (recently-met / below-threshold). Contacts missing from `contacts`
 * are kept too (they can only ever be skipped).
 */
function collectSignals(
  now: Date,
  settings: WorkspaceSettings,
  contacts: NudgeContact[],
  mentions: MentionEvent[],
  countsMember: (memberId: string) => boolean,
): Map<string, Signal[]> {
  const lastMet = new Map(contacts.map((c) => [c.id, c.lastMetAt?.getTime() ?? Number.NEGATIVE_INFINITY]));
  const windowStart = now.getTime() - settings.mentionWindowDays * DAY_MS;
  const byPair = new Map<string, Signal>();
  for (const m of mentions) {
    const at = m.at.getTime();
    if (!(at >= windowStart && at <= now.getTime()) || !countsMember(m.memberId)) continue;
    const key = pairKey(m.memberId, m.contactId);
    let signal = byPair.get(key);
    if (!signal) {
      signal = { memberId: m.memberId, contactId: m.contactId, count: 0, lastAt: Number.NEGATIVE_INFINITY };
      byPair.set(key, signal);
    }
    if (at > (lastMet.get(m.contactId) ?? Number.NEGATIVE_INFINITY)) {
      signal.count++;
      signal.lastAt = Math.max(signal.lastAt, at);
    }
  }
  const byContact = new Map<string, Signal[]>();
  for (const signal of byPair.values()) {
    byContact.set(signal.contactId, [...(byContact.get(signal.contactId) ?? []), signal]);
  }
  return byContact;
}

function latestNudgeByPair(nudges: PriorNudge[]): Map<string, PriorNudge> {
  const latest = new Map<string, PriorNudge>();
  for (const n of nudges) {
    const key = pairKey(n.memberId, n.contactId);
    const seen = latest.get(key);
    if (!seen || n.createdAt.getTime() > seen.createdAt.getTime()) latest.set(key, n);
  }
  return latest;
}

function lunchReason(e: Eligible, teammateNames: string[], settings: WorkspaceSettings, now: Date): string {
  return lunchPromptReason(
    { mentionCount: e.signal.count, lastMetAt: e.contact.lastMetAt, teammateNames },
    settings,
    now,
  );
}

/**
 * A lunch prompt's one sentence of why: the member's mentions, the teammates who discuss the contact
 * most, and when the team last met them. Also used to show a prompt again (the lunch form's Cancel).
 */
export function lunchPromptReason(
  input: { mentionCount: number; lastMetAt: Date | null; teammateNames: string[] },
  settings: Pick<WorkspaceSettings, "mentionWindowDays">,
  now: Date,
): string {
  const { lastMetAt: lastMet, teammateNames } = input;
  const windowStart = now.getTime() - settings.mentionWindowDays * DAY_MS;
  const span =
    lastMet && lastMet.getTime() > windowStart
      ? "since the team last met them"
      : `in the last ${plural(settings.mentionWindowDays, "day")}`;
  // One sentence, the contact's name left to the title, and at most PROMPT_TEAMMATES teammates by
  // name (the ones who discuss the contact most): fourteen people don't go to one lunch.
  let text = `You mentioned them ${times(input.mentionCount)} ${span}`;
  if (teammateNames.length > 0) {
    const n = teammateNames.length;
    text += `, and ${listNames(teammateNames)} ${n === 1 ? "talks" : "talk"} about them too`;
  }
  if (!lastMet) text += "; nobody on the team has met them in person yet.";
  else
    text += `; the team last met them ${plural(Math.floor((now.getTime() - lastMet.getTime()) / DAY_MS), "day")} ago.`;
  return text;
}

function listNames(names: string[], max = PROMPT_TEAMMATES): string {
  const rest = names.length - max;
  const shown = rest > 0 ? [...names.slice(0, max), plural(rest, "more teammate")] : names;
  if (shown.length === 1) return shown[0] ?? "";
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

function times(n: number): string {
  return n === 1 ? "once" : `${n} times`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function pairKey(memberId: string, contactId: string): string {
  return `${memberId}\u0000${contactId}`;
}

function bySignalStrength(a: Signal, b: Signal): number {
  return b.count - a.count || b.lastAt - a.lastAt || compareStrings(a.memberId, b.memberId);
}

function byPriority(a: Eligible, b: Eligible): number {
  const kindRank = (k: NudgeKind) => (k === "lunch" ? 0 : 1);
  return (
    kindRank(a.kind) - kindRank(b.kind) ||
    b.signal.count - a.signal.count ||
    b.signal.lastAt - a.signal.lastAt ||
    compareStrings(a.contact.id, b.contact.id) ||
    compareStrings(a.member.id, b.member.id)
  );
}

/** Code-unit order, not locale order: the same output on every machine. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How much talk the sweep judges interest over: this many of the workspace's latest mentions… */
export const FITTED_WINDOW_MENTIONS = 100;
/** …within at most this many days. */
export const FITTED_WINDOW_MAX_DAYS = 90;

/**
 * The mention window fitted to the workspace's pace. A busy team's latest 100 mentions of outside
 * people fall within two weeks (the sample company of 28 people makes about 9 a day), so the
 * configured window (default 14 days) stands. A quiet team's span
 * months, and a fixed 14 days would never see anyone mentioned three times: in a real community
 * export most outside people came up once or twice a month, and a year of sweeps sent no prompt.
 * So the window stretches until it holds the latest 100 mentions, up to 90 days: about the same
 * amount of talk before anyone is asked, whatever the pace. The thresholds (mentions, teammates)
 * stay as configured, so what "talked about enough" means doesn't change, only over how long.
 * `nthLatestAt`: when the 100th latest mention was made, null when there are fewer.
 */
export function fittedWindowDays(configured: number, nthLatestAt: Date | null, now: Date): number {
  const ceiling = Math.max(configured, FITTED_WINDOW_MAX_DAYS);
  if (nthLatestAt === null) return ceiling;
  const span = Math.ceil((now.getTime() - nthLatestAt.getTime()) / DAY_MS);
  return Math.min(ceiling, Math.max(configured, span));
}
