// An in-memory Calendar port for use-case tests: per-member busy times, created events and past
// events, plus a switch to make a member's calls fail like a revoked grant or a provider outage.
// Tests over the real protocols use src/calendars/ against the fake Google/Graph servers instead.
import {
  CalendarError,
  type CalendarEventDraft,
  type CalendarFailure,
  type CalendarPort,
  type CalendarProviderId,
  type MemberCalendar,
  type PastEvent,
} from "../../src/app/calendar-port.ts";
import type { Interval } from "../../src/core/calendar/slots.ts";
import type { Member, Workspace } from "../../src/core/types.ts";

export interface MemoryCalendarEntry {
  provider: CalendarProviderId;
  busy: Interval[];
  created: CalendarEventDraft[];
  past: PastEvent[];
  failure: CalendarFailure | null;
}

export class MemoryCalendars implements CalendarPort {
  readonly byMember = new Map<string, MemoryCalendarEntry>();
  constructor(private readonly configured: CalendarProviderId[] = ["google", "microsoft"]) {}

  providers(): CalendarProviderId[] {
    return this.configured;
  }

  /** Connects a member (by member id); returns the entry to arrange busy/past events on. */
  connect(memberId: string, provider: CalendarProviderId = "google"): MemoryCalendarEntry {
    const entry: MemoryCalendarEntry = { provider, busy: [], created: [], past: [], failure: null };
    this.byMember.set(memberId, entry);
    return entry;
  }

  async forMember(_ws: Workspace, member: Member): Promise<MemberCalendar | null> {
    const entry = this.byMember.get(member.id);
    if (!entry) return null;
    const check = () => {
      if (entry.failure) throw new CalendarError(entry.failure);
    };
    return {
      provider: entry.provider,
      busy: async (from, to) => {
        check();
        return entry.busy.filter((b) => b.end > from && b.start < to);
      },
      createEvent: async (draft) => {
        check();
        entry.created.push(draft);
        return { id: `evt-${entry.created.length}`, link: null };
      },
      pastEvents: async (from, to) => {
        check();
        return entry.past.filter((e) => e.start >= from && e.start < to);
      },
    };
  }
}
