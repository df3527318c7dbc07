// The demo's calendars: a small in-process Calendar port with a few people "connected" and busy
// times seeded, so `npm run demo` shows suggested slots and a booking without any provider.
//
// SEAM (issue 17): when the fake Google Calendar / Microsoft Graph servers and the real clients
// (src/calendars/) are in, the demo should connect these people through them instead; everything
// else in the demo only sees the CalendarPort.
import {
  CalendarError,
  type CalendarEventDraft,
  type CalendarPort,
  type CalendarProviderId,
  type MemberCalendar,
} from "../app/calendar-port.ts";
import type { Interval } from "../core/calendar/slots.ts";
import type { Member, Workspace } from "../core/types.ts";

interface DemoCalendar {
  provider: CalendarProviderId;
  busy: Interval[];
  created: CalendarEventDraft[];
}

export class DemoCalendars implements CalendarPort {
  /** By platform user id: the demo knows people by their Slack ids. */
  private readonly byUser = new Map<string, DemoCalendar>();

  providers(): CalendarProviderId[] {
    return ["google", "microsoft"];
  }

  /** "Connects" a person's calendar with these busy times; returns it (events booked land in it). */
  connect(platformUserId: string, busy: Interval[], provider: CalendarProviderId = "google"): DemoCalendar {
    const cal = { provider, busy, created: [] };
    this.byUser.set(platformUserId, cal);
    return cal;
  }

  async forMember(_ws: Workspace, member: Member): Promise<MemberCalendar | null> {
    const cal = this.byUser.get(member.platformUserId);
    if (!cal) return null;
    return {
      provider: cal.provider,
      busy: async (from, to) => cal.busy.filter((b) => b.end > from && b.start < to),
      createEvent: async (draft) => {
        if (draft.end <= draft.start)
          throw new CalendarError({ kind: "unavailable", retryAfterMs: null, detail: "empty event" });
        cal.created.push(draft);
        return { id: `demo-event-${cal.created.length}`, link: null };
      },
      pastEvents: async () => [],
    };
  }
}
