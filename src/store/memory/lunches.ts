import type { LunchInput, LunchStore } from "../../core/ports.ts";
import type { Lunch } from "../../core/types.ts";
import { toLunch } from "../mappers.ts";
import { byDate, copy, type LunchRowM, type MemoryState, missing } from "./state.ts";

export class MemoryLunchStore implements LunchStore {
  constructor(private readonly s: MemoryState) {}

  async createLunch(workspaceId: string, input: LunchInput): Promise<Lunch> {
    if (!this.s.contacts.has(input.contactId)) throw missing("contact", input.contactId);
    for (const id of [input.organizerId, ...input.attendeeIds])
      if (!this.s.members.has(id)) throw missing("member", id);
    const row: LunchRowM = {
      id: this.s.newId(),
      workspaceId,
      contactId: input.contactId,
      organizerId: input.organizerId,
      scheduledFor: input.scheduledFor && new Date(input.scheduledFor),
      place: input.place,
      status: input.status,
      followUpAt: input.followUpAt && new Date(input.followUpAt),
      followUpSent: null,
      createdAt: this.s.now(),
      attendees: [...new Set(input.attendeeIds)].map((memberId) => ({ memberId })),
    };
    this.s.lunches.set(row.id, row);
    return toLunch(copy(row));
  }

  async getLunch(workspaceId: string, id: string): Promise<Lunch | null> {
    const row = this.s.lunches.get(id);
    return row?.workspaceId === workspaceId ? toLunch(copy(row)) : null;
  }

  async saveLunch(workspaceId: string, lunch: Lunch, expectedStatus: Lunch["status"]): Promise<Lunch | null> {
    // Optimistic: only the writer that still sees the expected status wins (double clicks, replicas).
    const row = this.s.lunches.get(lunch.id);
    if (!row || row.workspaceId !== workspaceId || row.status !== expectedStatus) return null;
    const date = (d: Date | null) => d && new Date(d);
    row.scheduledFor = date(lunch.scheduledFor);
    row.place = lunch.place;
    row.status = lunch.status;
    row.followUpAt = date(lunch.followUpAt);
    row.followUpSent = date(lunch.followUpSent);
    for (const memberId of lunch.attendeeIds)
      if (this.s.members.has(memberId) && !row.attendees.some((a) => a.memberId === memberId))
        row.attendees.push({ memberId });
    return toLunch(copy(row));
  }

  async listLunches(
    workspaceId: string,
    opts: { status?: Lunch["status"][]; memberId?: string; from?: Date; to?: Date },
  ): Promise<Lunch[]> {
    const { from, to, memberId } = opts;
    return [...this.s.lunches.values()]
      .filter(
        (l) =>
          l.workspaceId === workspaceId &&
          (!opts.status || opts.status.includes(l.status as Lunch["status"])) &&
          (!memberId || l.organizerId === memberId || l.attendees.some((a) => a.memberId === memberId)) &&
          // A date range leaves out lunches without a date, as SQL comparisons with NULL do.
          (!from || (l.scheduledFor !== null && l.scheduledFor >= from)) &&
          (!to || (l.scheduledFor !== null && l.scheduledFor < to)),
      )
      .sort(byDate((l) => l.scheduledFor))
      .map((l) => toLunch(copy(l)));
  }

  async dueFollowUps(now: Date): Promise<Lunch[]> {
    return [...this.s.lunches.values()]
      .filter(
        (l) =>
          l.status === "scheduled" &&
          l.followUpSent === null &&
          l.followUpAt !== null &&
          l.followUpAt <= now &&
          this.s.workspaces.get(l.workspaceId)?.uninstalledAt === null,
      )
      .sort(byDate((l) => l.followUpAt))
      .slice(0, 500)
      .map((l) => toLunch(copy(l)));
  }
}
