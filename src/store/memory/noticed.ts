import type { NoticedMeetingStore, NoticeInput } from "../../core/ports.ts";
import type { NoticedMeeting, NoticedSource, NoticedStatus } from "../../core/types.ts";
import { toNoticed } from "../mappers.ts";
import { copy, type MemoryState, missing, type NoticedRow } from "./state.ts";

/** Meetings noticed in calendars and chat, in memory (same semantics as the Prisma store). */
export class MemoryNoticedMeetingStore implements NoticedMeetingStore {
  constructor(private readonly s: MemoryState) {}

  async noticeMeeting(workspaceId: string, input: NoticeInput): Promise<NoticedMeeting | null> {
    const s = this.s;
    if (!s.members.has(input.memberId)) throw missing("member", input.memberId);
    if (!s.contacts.has(input.contactId)) throw missing("contact", input.contactId);
    for (const n of s.noticed.values())
      if (
        n.workspaceId === workspaceId &&
        n.memberId === input.memberId &&
        n.contactId === input.contactId &&
        n.day === input.day
      )
        return null;
    const row: NoticedRow = {
      id: s.newId(),
      workspaceId,
      memberId: input.memberId,
      contactId: input.contactId,
      source: input.source,
      day: input.day,
      metAt: new Date(input.metAt),
      status: "asked",
      meetingId: null,
      toldAt: null,
      messageRef: null,
      createdAt: s.now(),
    };
    const already = [...s.meetings.values()].some(
      (m) =>
        m.workspaceId === workspaceId &&
        m.memberId === input.memberId &&
        m.contactId === input.contactId &&
        m.metAt >= input.dayRange.start &&
        m.metAt < input.dayRange.end,
    );
    if (already) row.status = "skipped";
    else if (input.record) {
      row.status = "recorded";
      row.meetingId = this.writeMeeting(workspaceId, row, input.source);
    }
    s.noticed.set(row.id, row);
    return toNoticed(copy(row));
  }

  private writeMeeting(workspaceId: string, row: NoticedRow, source: NoticedSource): string {
    const id = this.s.newId();
    this.s.meetings.set(id, {
      id,
      workspaceId,
      contactId: row.contactId,
      memberId: row.memberId,
      metAt: new Date(row.metAt),
      source,
      lunchId: null,
    });
    const c = this.s.contacts.get(row.contactId);
    if (c && c.workspaceId === workspaceId && (c.lastMetAt === null || c.lastMetAt < row.metAt))
      c.lastMetAt = new Date(row.metAt);
    return id;
  }

  private row(workspaceId: string, id: string): NoticedRow | undefined {
    const r = this.s.noticed.get(id);
    return r && r.workspaceId === workspaceId ? r : undefined;
  }

  async getNoticedMeeting(workspaceId: string, id: string): Promise<NoticedMeeting | null> {
    const r = this.row(workspaceId, id);
    return r ? toNoticed(copy(r)) : null;
  }

  async answerNoticedMeeting(
    workspaceId: string,
    id: string,
    answer: "record" | "decline" | "undo",
  ): Promise<NoticedMeeting | null> {
    const r = this.row(workspaceId, id);
    const from: NoticedStatus = answer === "undo" ? "recorded" : "asked";
    if (!r || r.status !== from) return null;
    if (answer === "record") {
      r.status = "recorded";
      r.meetingId = this.writeMeeting(workspaceId, r, "chat");
    } else if (answer === "decline") {
      r.status = "declined";
    } else {
      r.status = "undone";
      if (r.meetingId) this.s.meetings.delete(r.meetingId);
      r.meetingId = null;
      const c = this.s.contacts.get(r.contactId);
      if (c) {
        const left = [...this.s.meetings.values()]
          .filter((m) => m.workspaceId === workspaceId && m.contactId === r.contactId)
          .map((m) => m.metAt.getTime());
        c.lastMetAt = left.length ? new Date(Math.max(...left)) : null;
      }
    }
    return toNoticed(copy(r));
  }

  async listNoticedMeetings(
    workspaceId: string,
    opts: {
      memberId?: string;
      source?: NoticedSource;
      status?: NoticedStatus[];
      untold?: boolean;
      since?: Date;
    },
  ): Promise<NoticedMeeting[]> {
    return [...this.s.noticed.values()]
      .filter(
        (n) =>
          n.workspaceId === workspaceId &&
          (!opts.memberId || n.memberId === opts.memberId) &&
          (!opts.source || n.source === opts.source) &&
          (!opts.status || (opts.status as string[]).includes(n.status)) &&
          (!opts.untold || n.toldAt === null) &&
          (!opts.since || n.metAt >= opts.since),
      )
      .sort((a, b) => a.metAt.getTime() - b.metAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((n) => toNoticed(copy(n)));
  }

  async markNoticed(
    workspaceId: string,
    ids: string[],
    patch: { toldAt: Date; messageRef?: string | null },
  ): Promise<void> {
    for (const id of ids) {
      const r = this.row(workspaceId, id);
      if (!r) continue;
      r.toldAt = new Date(patch.toldAt);
      if (patch.messageRef !== undefined) r.messageRef = patch.messageRef;
    }
  }
}
