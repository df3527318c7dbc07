// Use case: plan a lunch, from any path that plans one (the Slack modal, the Teams card form,
// `lunch …` on either platform). One place decides, so every path checks the same things and
// tells the same people:
//   1. the prompt the form names (if any) belongs to the acting member and to this contact;
//   2. every teammate named is a real teammate (not unknown, not outside the team, not a bot);
//   3. the date is in the future (said in the organizer's zone);
//   4. the prompt is claimed (compare-and-set) BEFORE the lunch is created, and given back if
//      creating fails, so two quick submits create one lunch;
//   5. the organizer gets the invite and every attendee is told, through the ChatPort.
//   6. a free slot picked from the form (app/lunch-slots.ts) becomes an event in the organizer's
//      connected calendar, inviting the teammates and the contact by email; whoever that doesn't
//      reach (no calendar, no email, or the calendar failed) gets the .ics as before.
// I/O only through the ports: Store, Clock, LunchChatPort, TeammateDirectory, CalendarPort.
import type { Interval } from "../core/calendar/slots.ts";
import type { LocalDateTime } from "../core/commands.ts";
import { escapeMarkup, formatWhen, joinEscaped } from "../core/format.ts";
import type { LunchField } from "../core/forms/lunch.ts";
import { lunchInvite } from "../core/invite.ts";
import { applyLunchEvent, newLunch } from "../core/lunches.ts";
import { memberTimeZone } from "../core/nudges.ts";
import { command } from "../core/prompt-text.ts";
import { zonedTimeToUtc } from "../core/time.ts";
import type { Contact, Lunch, Member, Nudge, NudgeStatus, Workspace } from "../core/types.ts";
import { CalendarError, type CalendarPort } from "./calendar-port.ts";
import type { Clock, LunchChatPort, LunchNotice, Store, TeammateDirectory } from "./ports.ts";

export interface PlanLunchInput {
  workspace: Workspace;
  organizer: Member;
  contactId: string;
  /** The prompt the form was opened from, as the client sent it back: checked, never trusted. */
  nudgeId?: string | null;
  /** Local date/time in the organizer's zone; no date plans a lunch without one (commands only). */
  on?: LocalDateTime | null;
  /** A free slot the form offered: booked in the organizer's calendar; wins over `on`. */
  slot?: Interval | null;
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
  /** People's connected calendars: a picked slot is booked in the organizer's. */
  calendars?: CalendarPort;
  /** Told about a calendar event that couldn't be created (the lunch stands; the .ics goes out). */
  onCalendarError?: (err: unknown, member: Member) => void;
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
  const scheduledFor = input.slot
    ? input.slot.start
    : input.on
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
  const minutes = input.slot
    ? Math.round((input.slot.end.getTime() - input.slot.start.getTime()) / 60_000)
    : undefined;
  const ics =
    (lunch.scheduledFor &&
      lunchInvite({
        lunchId: lunch.id,
        contactName: contact.displayName,
        start: lunch.scheduledFor,
        ...(minutes ? { durationMinutes: minutes } : {}),
        place: lunch.place,
        organizerName: displayName(organizer),
        attendeeNames: names,
        now,
      })) ||
    null;
  // Booking goes with the notifications (after Slack's ack): a provider call may take a while.
  const booking = input.slot && deps.calendars ? { calendars: deps.calendars, slot: input.slot } : null;
  const where = lunch.place ? ` at ${escapeMarkup(lunch.place)}` : "";
  const when = (m: Member) =>
    lunch.scheduledFor ? ` on ${formatWhen(lunch.scheduledFor, memberTimeZone(m.tz, ws.timezone))}` : "";
  const who = names.length ? ` with ${joinEscaped(names)}` : "";
  const next = booking
    ? " I'm adding it to your calendar and inviting everyone from there. I'll check in the day after."
    : lunch.scheduledFor
      ? " I'll check in the day after."
      : ` Add a date with ${command("lunch")} when you have one.`;
  const text = updated
    ? `Updated your lunch with ${name}:${when(organizer).replace(/^ on/, "")}${where}${who}.${next}`
    : `Lunch with ${name}${when(organizer)}${where}${who} is planned.${next}`;

  const base = { lunch, contactName: contact.displayName, ics };
  const attendeeNote = (m: Member) =>
    updated
      ? `${escapeMarkup(displayName(organizer))} set the date of your lunch with ${name}:${when(m).replace(/^ on/, "")}${where}.`
      : `${escapeMarkup(displayName(organizer))} planned lunch with ${name}${when(m)}${where} and added you.`;
  const notices = async (): Promise<Array<{ member: Member; notice: LunchNotice }>> => {
    const out: Array<{ member: Member; notice: LunchNotice }> = [];
    const booked = booking
      ? await book(deps, booking, ws, organizer, attendees, contact, lunch, minutes)
      : null;
    if (booked?.ok) {
      // In the organizer's calendar now: no .ics for them, and none for whoever it invited.
      for (const m of attendees) {
        const invited = booked.invited.has(m.id);
        const note = invited
          ? `${attendeeNote(m)} The invitation comes from ${escapeMarkup(displayName(organizer))}'s calendar.`
          : attendeeNote(m);
        out.push({ member: m, notice: { ...base, ics: invited ? null : ics, role: "attendee", text: note } });
      }
      return out;
    }
    // The organizer sees the outcome where they planned it; what they still need is the invite.
    if (ics) {
      const why = booked ? `${calendarProblem(booked.failure)} ` : "";
      const organizerText = booked ? `${why}Here is the invite to add yourself.` : text;
      out.push({ member: organizer, notice: { ...base, role: "organizer", text: organizerText } });
    }
    for (const m of attendees)
      out.push({ member: m, notice: { ...base, role: "attendee", text: attendeeNote(m) } });
    return out;
  };
  const chat = deps.chat;
  if (chat || booking) {
    const send = async () => {
      for (const { member, notice } of await notices()) {
        if (!chat) break;
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

type Booked =
  | { ok: true; invited: Set<string> }
  /** "taken": the organizer's calendar filled that time after the form offered it. */
  | { ok: false; failure: CalendarError | "taken" | null };

/**
 * The lunch as an event in the organizer's calendar, inviting every teammate and the contact whose
 * email is known (the provider sends the invitations). `invited`: the teammates it reaches who also
 * connected a calendar; everyone else still gets the .ics.
 */
async function book(
  deps: PlanLunchDeps,
  booking: { calendars: CalendarPort; slot: Interval },
  ws: Workspace,
  organizer: Member,
  attendees: readonly Member[],
  contact: Contact,
  lunch: Lunch,
  minutes: number | undefined,
): Promise<Booked | null> {
  const { calendars, slot } = booking;
  try {
    const calendar = await calendars.forMember(ws, organizer);
    // Disconnected since the form opened: plan as without a calendar.
    if (!calendar) return null;
    const contactEmails = (await deps.store.listAliases(ws.id))
      .filter((a) => a.contactId === contact.id && a.kind === "email")
      .map((a) => a.normalized.toLowerCase());
    const teammateEmails = attendees.flatMap((m) => (m.email ? [m.email.toLowerCase()] : []));
    const start = lunch.scheduledFor ?? slot.start;
    const end = new Date(start.getTime() + (minutes ?? 60) * 60_000);
    // The slot was free when the form opened, maybe minutes ago: asked again right before booking,
    // so a meeting accepted meanwhile is not double-booked.
    if ((await calendar.busy(start, end)).some((b) => b.start < end && b.end > start))
      return { ok: false, failure: "taken" };
    await calendar.createEvent({
      start,
      end,
      title: `Lunch with ${contact.displayName}`,
      location: lunch.place,
      // One address for the contact: a person with several aliases gets one invitation, not several.
      attendeeEmails: [...new Set([...teammateEmails, ...contactEmails.slice(0, 1)])],
      timeZone: memberTimeZone(organizer.tz, ws.timezone),
      description: "Planned with Take It Offline.",
    });
    const invited = new Set<string>();
    for (const m of attendees) {
      if (!m.email) continue;
      try {
        if (await calendars.forMember(ws, m)) invited.add(m.id);
      } catch {
        // Can't tell whether they use a calendar: the .ics is the safe side.
      }
    }
    return { ok: true, invited };
  } catch (err) {
    deps.onCalendarError?.(err, organizer);
    return { ok: false, failure: err instanceof CalendarError ? err : null };
  }
}

/** Why the lunch isn't in the organizer's calendar, in one sentence (core markup). */
function calendarProblem(failure: CalendarError | "taken" | null): string {
  if (failure === "taken")
    return "Something else is in your calendar at that time now (it was free when I suggested it), so I didn't add the lunch there.";
  if (failure?.failure.kind === "revoked")
    return `I couldn't add the lunch to your calendar: its connection was revoked or expired (reconnect with ${command("connect calendar")}).`;
  return "I couldn't add the lunch to your calendar just now: it didn't answer.";
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
