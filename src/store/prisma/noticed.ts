import type { NoticedMeetingStore, NoticeInput } from "../../core/ports.ts";
import type { NoticedMeeting, NoticedSource, NoticedStatus } from "../../core/types.ts";
import type { Database, Db } from "../db.ts";
import { toNoticed } from "../mappers.ts";
import { isUniqueViolation } from "./common.ts";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Meetings noticed in calendars and chat on Prisma. */
export class PrismaNoticedMeetingStore implements NoticedMeetingStore {
  private readonly db: Db;

  constructor(database: Database) {
    this.db = database.db;
  }

  async noticeMeeting(workspaceId: string, input: NoticeInput): Promise<NoticedMeeting | null> {
    try {
      return await this.db.$transaction(async (tx) => {
        // The unique (workspace, member, contact, day) row goes first: a second replica, a second
        // run or an undone notice stops here, before any meeting is written.
        const row = await tx.noticedMeeting.create({
          data: {
            workspaceId,
            memberId: input.memberId,
            contactId: input.contactId,
            source: input.source,
            day: input.day,
            metAt: input.metAt,
            status: "asked",
          },
        });
        const already = await tx.meeting.findFirst({
          where: {
            workspaceId,
            memberId: input.memberId,
            contactId: input.contactId,
            metAt: { gte: input.dayRange.start, lt: input.dayRange.end },
          },
          select: { id: true },
        });
        if (already)
          return toNoticed(
            await tx.noticedMeeting.update({ where: { id: row.id }, data: { status: "skipped" } }),
          );
        if (!input.record) return toNoticed(row);
        const meetingId = await this.writeMeeting(
          tx,
          workspaceId,
          input.memberId,
          input.contactId,
          input.metAt,
          input.source,
        );
        return toNoticed(
          await tx.noticedMeeting.update({ where: { id: row.id }, data: { status: "recorded", meetingId } }),
        );
      });
    } catch (err) {
      if (isUniqueViolation(err)) return null;
      throw err;
    }
  }

  /** A meeting and the contact's lastMetAt, which only moves forward (as recordMeeting does). */
  private async writeMeeting(
    tx: Tx,
    workspaceId: string,
    memberId: string,
    contactId: string,
    metAt: Date,
    source: NoticedSource,
  ): Promise<string> {
    const meeting = await tx.meeting.create({ data: { workspaceId, contactId, memberId, metAt, source } });
    await tx.contact.updateMany({
      where: { id: contactId, workspaceId, OR: [{ lastMetAt: null }, { lastMetAt: { lt: metAt } }] },
      data: { lastMetAt: metAt },
    });
    return meeting.id;
  }

  async getNoticedMeeting(workspaceId: string, id: string): Promise<NoticedMeeting | null> {
    const row = await this.db.noticedMeeting.findFirst({ where: { id, workspaceId } });
    return row ? toNoticed(row) : null;
  }

  async answerNoticedMeeting(
    workspaceId: string,
    id: string,
    answer: "record" | "decline" | "undo",
  ): Promise<NoticedMeeting | null> {
    const from: NoticedStatus = answer === "undo" ? "recorded" : "asked";
    const to: NoticedStatus = answer === "record" ? "recorded" : answer === "decline" ? "declined" : "undone";
    return this.db.$transaction(async (tx) => {
      const before = await tx.noticedMeeting.findFirst({ where: { id, workspaceId } });
      if (!before || before.status !== from) return null;
      // The compare-and-set decides which of two clicks acts; the loser changes nothing.
      const { count } = await tx.noticedMeeting.updateMany({
        where: { id, workspaceId, status: from },
        data: { status: to, ...(answer === "undo" ? { meetingId: null } : {}) },
      });
      if (count !== 1) return null;
      if (answer === "record") {
        const meetingId = await this.writeMeeting(
          tx,
          workspaceId,
          before.memberId,
          before.contactId,
          before.metAt,
          "chat",
        );
        return toNoticed(await tx.noticedMeeting.update({ where: { id }, data: { meetingId } }));
      }
      if (answer === "undo" && before.meetingId) {
        await tx.meeting.deleteMany({ where: { id: before.meetingId, workspaceId } });
        // Back to the latest meeting left (any source), or never met.
        const latest = await tx.meeting.findFirst({
          where: { workspaceId, contactId: before.contactId },
          orderBy: { metAt: "desc" },
          select: { metAt: true },
        });
        await tx.contact.updateMany({
          where: { id: before.contactId, workspaceId },
          data: { lastMetAt: latest?.metAt ?? null },
        });
      }
      return toNoticed({ ...before, status: to, meetingId: answer === "undo" ? null : before.meetingId });
    });
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
    const rows = await this.db.noticedMeeting.findMany({
      where: {
        workspaceId,
        ...(opts.memberId ? { memberId: opts.memberId } : {}),
        ...(opts.source ? { source: opts.source } : {}),
        ...(opts.status ? { status: { in: opts.status } } : {}),
        ...(opts.untold ? { toldAt: null } : {}),
        ...(opts.since ? { metAt: { gte: opts.since } } : {}),
      },
      orderBy: [{ metAt: "asc" }, { id: "asc" }],
    });
    return rows.map(toNoticed);
  }

  async markNoticed(
    workspaceId: string,
    ids: string[],
    patch: { toldAt: Date; messageRef?: string | null },
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.db.noticedMeeting.updateMany({ where: { workspaceId, id: { in: ids } }, data: patch });
  }
}
