// Use case: the free lunch slots the lunch form offers. The organizer's calendar and the calendar
// of every teammate joining who connected one are asked for free/busy only (never what people are
// busy with); the core's slot finder picks the next few lunch-hour slots when all of them are free.
//
// The form must open even when a provider is slow or down: the whole lookup is given `timeoutMs`
// (Slack's trigger_id lasts 3 seconds), and a failure or a timeout gives a form without slots.
import { type Interval, suggestSlots } from "../core/calendar/slots.ts";
import type { LunchSlotOffer } from "../core/messages/lunch-form.ts";
import { memberTimeZone } from "../core/nudges.ts";
import { lunchHoursOf } from "../core/settings.ts";
import { DAY_MS } from "../core/time.ts";
import type { Member, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";

/** How many slots the form offers. */
export const SLOT_COUNT = 4;
/** No slot sooner than this: people need a moment to see the invite and get there. */
export const SLOT_NOTICE_MS = 2 * 3_600_000;
/** How far ahead free/busy is asked for (the slot finder's horizon). */
const HORIZON_DAYS = 14;
/** Default budget for the whole lookup: well inside Slack's 3-second trigger_id. */
export const SLOT_LOOKUP_TIMEOUT_MS = 1_500;

export interface LunchSlotsInput {
  workspace: Workspace;
  organizer: Member;
  /** Member ids of the teammates the form preselects. */
  attendeeIds: readonly string[];
  timeoutMs?: number;
  /** Told about a calendar (or lookup) that failed, for the adapter's log; the form opens anyway. */
  onError?: (err: unknown, member: Member) => void;
}

export async function lunchSlots(deps: AppDeps, input: LunchSlotsInput): Promise<LunchSlotOffer> {
  const calendars = deps.calendars;
  if (!calendars || calendars.providers().length === 0) return { kind: "off" };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<LunchSlotOffer>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "unavailable" }), input.timeoutMs ?? SLOT_LOOKUP_TIMEOUT_MS);
  });
  // Whatever goes wrong (a provider, the store), the form opens without slots; and a lookup that
  // fails after the budget ran out is still caught, never an unhandled rejection.
  const work = lookup(deps, input).catch((err: unknown): LunchSlotOffer => {
    input.onError?.(err, input.organizer);
    return { kind: "unavailable" };
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function lookup(deps: AppDeps, input: LunchSlotsInput): Promise<LunchSlotOffer> {
  const calendars = deps.calendars;
  if (!calendars) return { kind: "off" };
  const ws = input.workspace;
  const now = deps.clock.now();
  const from = new Date(now.getTime() + SLOT_NOTICE_MS);
  const to = new Date(now.getTime() + (HORIZON_DAYS + 1) * DAY_MS);
  const fail = (err: unknown, m: Member) => input.onError?.(err, m);

  let organizerBusy: Interval[];
  try {
    const own = await calendars.forMember(ws, input.organizer);
    if (!own) return { kind: "connect" };
    organizerBusy = await own.busy(from, to);
  } catch (err) {
    fail(err, input.organizer);
    return { kind: "unavailable" };
  }
  const others = (
    await Promise.all(
      [...new Set(input.attendeeIds)]
        .filter((id) => id !== input.organizer.id)
        .map((id) => deps.store.getMemberById(ws.id, id)),
    )
  ).filter((m): m is Member => m !== null);
  // A teammate whose calendar can't be read is left out of the check rather than blocking
  // everyone's slots: the invite still reaches them, and they can decline.
  const theirs = await Promise.all(
    others.map(async (m) => {
      try {
        const cal = await calendars.forMember(ws, m);
        return cal ? await cal.busy(from, to) : [];
      } catch (err) {
        fail(err, m);
        return [];
      }
    }),
  );
  const timeZone = memberTimeZone(input.organizer.tz, ws.timezone);
  const slots = suggestSlots({
    after: from,
    timeZone,
    hours: lunchHoursOf(ws.settings),
    busy: [...organizerBusy, ...theirs.flat()],
    count: SLOT_COUNT,
    horizonDays: HORIZON_DAYS,
  });
  return slots.length ? { kind: "slots", slots, timeZone } : { kind: "none-free" };
}
