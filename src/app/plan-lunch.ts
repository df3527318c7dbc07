// Use case: plan a lunch, from any path that plans one (the Slack modal, the Teams card form,
// `lunch …` on either platform). One place decides, so every path checks the same things and
// tells the same people:
//   1. the prompt the form names (if any) belongs to the acting member and to this contact;
//   2. every teammate named is a real teammate (not unknown, not outside the team, not a bot);
//   3. the date is in the future (said in the organizer's zone);
//   4. the prompt is claimed (compare-and-set) BEFORE the lunch is created, and given back if
//      creating fails, so two quick submits create one lunch;
//   5. the organizer gets the invite and every attendee is told, through the ChatPort.
// I/O only through the ports: Store, Clock, LunchChatPort, TeammateDirectory.
import type { LocalDateTime } from "../core/commands.ts";
import { escapeMarkup, formatWhen, joinEscaped } from "../core/format.ts";
import type { LunchField } from "../core/forms/lunch.ts";
import { lunchInvite } from "../core/invite.ts";
import { applyLunchEvent, newLunch } from "../core/lunches.ts";
import { memberTimeZone } from "../core/nudges.ts";
import { command } from "../core/prompt-text.ts";
import { zonedTimeToUtc } from "../core/time.ts";
import type { Lunch, Member, Nudge, NudgeStatus, Workspace } from "../core/types.ts";
import type { Clock, LunchChatPort, LunchNotice, Store, TeammateDirectory } from "./ports.ts";

export interface PlanLunchInput {
  workspace: Workspace;
  organizer: Member;
  contactId: string;
  /** The prompt the form was opened from, as the client sent it back: checked, never trusted. */
  nudgeId?: string | null;
  /** Local date/time in the organizer's zone; no date plans a lunch without one (commands only). */
  on?: LocalDateTime | null;
  place?: string | null;
  /** Platform user ids of the teammates joining. */
  withUserIds?: readonly string[];
}

export interface PlanLunchDeps {
  store: Store;
  clock: Clock;
  /** Where the invite and the "you were added" notes go; null: nobody is told (CLI, setup in tests). */
  chat: LunchChatPort | null;
  /** Teammates named in the form or command; default: members the store already knows. */
  teammates?: TeammateDirectory;
  /** Runs the notifications; default: now, before returning. Slack defers them past its 3-second ack. */
  defer?: (label: string, work: () => Promise<void>) => void;
  /** Told about a notification that failed (the lunch stands; the person just wasn't told). */
  onNotifyError?: (err: unknown, member: Member) => void;
}

export type PlanLunchResult =
  | {
      ok: true;
      lunch: Lunch;
      contactName: string;
      text: string;
      ics: string | null;
      attendees: Member[];
      /** The organizer's own prompt the lunch was planned from (its message can now be replaced). */
      prompt: Nudge | null;
    }
  | {
      ok: false;
      /** The form field the message belongs under; null when it is about the form as a whole. */
      field: Extract<LunchField, "date" | "with"> | null;
      message: string;
    };

/** Prompt statuses a lunch can still be planned from. */
const OPEN_PROMPT: readonly NudgeStatus[] = ["sent", "pending", "snoozed"];

export async function planLunch(deps: PlanLunchDeps, input: PlanLunchInput): Promise<PlanLunchResult> {
  const { store, clock } = deps;
  const ws = input.workspace;
  const organizer = input.organizer;
  const refuse = (message: string, field: "date" | "with" | null = null): PlanLunchResult => ({
    ok: false,
    field,
    message,
  });

  const contact = await store.getContact(ws.id, input.contactId);
  if (!contact) return refuse("That contact no longer exists.");
  // Core markup (Slack-style text each platform renders): a person's strings are escaped in it.
  const name = escapeMarkup(contact.displayName);

  const nudge = input.nudgeId ? await store.getNudge(ws.id, input.nudgeId) : null;
  if (input.nudgeId) {
    // Scoped by workspace: a prompt from another workspace is "no longer exists" here.
    if (!nudge) return refuse("This prompt no longer exists.");
    if (nudge.memberId !== organizer.id || nudge.contactId !== contact.id)
      return refuse("This prompt was meant for someone else.");
    if (!OPEN_PROMPT.includes(nudge.status)) return refuse(alreadyHandled(nudge.status, name));
  }

  const attendees: Member[] = [];
  for (const id of new Set(input.withUserIds ?? [])) {
    const found = deps.teammates ? await deps.teammates(id) : await knownMember(store, ws, id);
    if (!found.ok) return refuse(teammateProblem(found, id), "with");
    if (found.member.id !== organizer.id && !attendees.some((a) => a.id === found.member.id))
      attendees.push(found.member);
  }

  const tz = memberTimeZone(organizer.tz, ws.timezone);
  const now = clock.now();
  const scheduledFor = input.on
    ? zonedTimeToUtc({ ...input.on, hour: input.on.hour ?? 12, minute: input.on.minute ?? 0 }, tz)
    : null;
  if (scheduledFor && scheduledFor.getTime() < now.getTime())
    return refuse(`${formatWhen(scheduledFor, tz)} is in the past; pick a later date or time.`, "date");
  // A date for a lunch that has none yet (or whose date passed: "not yet" to the follow-up) updates
  // that lunch: "add a date with lunch" must not plan a second one.
  const open =
    !nudge && scheduledFor ? await openLunchToDate(store, ws.id, organizer.id, contact.id, now) : null;
  let lunch: Lunch;
  if (open && scheduledFor) {
    const dated = applyLunchEvent(
      { ...open, attendeeIds: mergeIds(open.attendeeIds, attendees, organizer.id) },
      open.status === "planned"
        ? { type: "schedule", scheduledFor, ...(input.place ? { place: input.place } : {}) }
        : { type: "reschedule", scheduledFor, ...(input.place ? { place: input.place } : {}) },
      now,
      tz,
    );
    if (!dated.ok) return refuse(dated.error, "date");
    const saved = await store.saveLunch(ws.id, dated.lunch, open.status);
    if (!saved) return refuse(`Your lunch with ${name} just changed; try again.`);
    lunch = saved;
    for (const id of lunch.attendeeIds) {
      if (attendees.some((a) => a.id === id)) continue;
      const m = await store.getMemberById(ws.id, id);
      if (m) attendees.push(m);
    }
  } else {
    const draft = newLunch(
      {
        contactId: contact.id,
        organizerId: organizer.id,
        attendeeIds: attendees.map((a) => a.id),
        scheduledFor,
        place: input.place ?? null,
      },
      now,
      tz,
    );
    if (!draft.ok) return refuse(draft.error);

    // Claim the prompt first: of two submits racing here, one moves it to "planned"; the other stops.
    if (nudge) {
      const claimed = await store.transitionNudge(ws.id, nudge.id, [...OPEN_PROMPT], { status: "planned" });
      if (!claimed) return refuse(alreadyHandled("planned", name));
    }
    try {
      lunch = await store.createLunch(ws.id, draft.lunch);
    } catch (err) {
      // Nothing was planned: give the prompt back so its buttons work again.
      if (nudge) await store.transitionNudge(ws.id, nudge.id, ["planned"], { status: nudge.status });
      throw err;
    }
  }
  const updated = open !== null;

  const names = attendees.map(displayName);
  const ics =
    (lunch.scheduledFor &&
      lunchInvite({
        lunchId: lunch.id,
        contactName: contact.displayName,
        start: lunch.scheduledFor,
        place: lunch.place,
        organizerName: displayName(organizer),
        attendeeNames: names,
        now,
      })) ||
    null;
  const where = lunch.place ? ` at ${escapeMarkup(lunch.place)}` : "";
  const when = (m: Member) =>
    lunch.scheduledFor ? ` on ${formatWhen(lunch.scheduledFor, memberTimeZone(m.tz, ws.timezone))}` : "";
  const who = names.length ? ` with ${joinEscaped(names)}` : "";
  const next = lunch.scheduledFor
    ? " I'll check in the day after."
    : ` Add a date with ${command("lunch")} when you have one.`;
  const text = updated
    ? `Updated your lunch with ${name}:${when(organizer).replace(/^ on/, "")}${where}${who}.${next}`
    : `Lunch with ${name}${when(organizer)}${where}${who} is planned.${next}`;

  const base = { lunch, contactName: contact.displayName, ics };
  const notices: Array<{ member: Member; notice: LunchNotice }> = [];
  // The organizer sees the outcome where they planned it; what they still need is the invite.
  if (ics) notices.push({ member: organizer, notice: { ...base, role: "organizer", text } });
  for (const m of attendees) {
    const note = updated
      ? `${escapeMarkup(displayName(organizer))} set the date of your lunch with ${name}:${when(m).replace(/^ on/, "")}${where}.`
      : `${escapeMarkup(displayName(organizer))} planned lunch with ${name}${when(m)}${where} and added you.`;
    notices.push({ member: m, notice: { ...base, role: "attendee", text: note } });
  }
  const chat = deps.chat;
  if (chat && notices.length) {
    const send = async () => {
      for (const { member, notice } of notices) {
        try {
          await chat.notifyLunch(ws, member, notice);
        } catch (err) {
          deps.onNotifyError?.(err, member);
        }
      }
    };
    if (deps.defer) deps.defer("lunch-planned", send);
    else await send();
  }
  return { ok: true, lunch, contactName: contact.displayName, text, ics, attendees, prompt: nudge };
}

/**
 * The organizer's open lunch with the contact that still needs a date: undated, or dated in the
 * past and kept open ("not yet"). The newest one, if several.
 */
async function openLunchToDate(
  store: Store,
  workspaceId: string,
  organizerId: string,
  contactId: string,
  now: Date,
): Promise<Lunch | null> {
  const lunches = await store.listLunches(workspaceId, {
    memberId: organizerId,
    status: ["planned", "scheduled", "followup"],
  });
  const waiting = lunches.filter(
    (l) =>
      l.organizerId === organizerId &&
      l.contactId === contactId &&
      (l.scheduledFor === null || l.scheduledFor.getTime() < now.getTime()),
  );
  return waiting[waiting.length - 1] ?? null;
}

/** The lunch's attendees plus the ones just named (never the organizer, never twice). */
function mergeIds(ids: readonly string[], more: readonly Member[], organizerId: string): string[] {
  return [...new Set([...ids, ...more.map((m) => m.id)])].filter((id) => id !== organizerId);
}

function displayName(m: Pick<Member, "displayName" | "realName">): string {
  return m.displayName || m.realName;
}

async function knownMember(store: Store, ws: Workspace, platformUserId: string) {
  const member = await store.getMember(ws.id, platformUserId);
  return member ? ({ ok: true, member } as const) : ({ ok: false, reason: "unknown" } as const);
}

function teammateProblem(
  found: { reason: "unknown" | "external" | "bot" | "unavailable"; name?: string },
  id: string,
): string {
  const who = escapeMarkup(found.name || id);
  switch (found.reason) {
    case "unknown":
      // Without a name, Teams shows an unknown user as "that teammate": the sentence reads either way.
      return `${found.name ? who : "One of the teammates you picked"} isn't someone I know in this workspace yet. Pick teammates from the list.`;
    case "external":
      return `${who} is outside your team. Pick teammates only.`;
    case "bot":
      return `${who} is a bot.`;
    case "unavailable":
      return `I couldn't look up ${who} just now. Try again in a minute.`;
  }
}

function alreadyHandled(status: NudgeStatus, name: string): string {
  return status === "planned"
    ? `Already handled: a lunch with ${name} is planned.`
    : "Already handled: this prompt was answered.";
}
