import type { MemberInput, MemberPatch, MemberStore } from "../../core/ports.ts";
import type { Member } from "../../core/types.ts";
import { touchCoverage } from "../coverage-touch.ts";
import type { Database, Db } from "../db.ts";
import { toMember } from "../mappers.ts";
import { FORGOTTEN_MEMBER } from "../shared.ts";
import { hasChanges, isUniqueViolation } from "./common.ts";

/** Members (teammates) on Prisma, with forget-me. */
export class PrismaMemberStore implements MemberStore {
  private readonly db: Db;

  constructor(private readonly database: Database) {
    this.db = database.db;
  }

  async upsertMember(workspaceId: string, input: MemberInput): Promise<Member> {
    const fields = {
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.realName !== undefined ? { realName: input.realName } : {}),
      ...(input.handle !== undefined ? { handle: input.handle } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.tz !== undefined ? { tz: input.tz } : {}),
      ...(input.isBot !== undefined ? { isBot: input.isBot } : {}),
      ...(input.isAdmin !== undefined ? { isAdmin: input.isAdmin } : {}),
      ...(input.aadObjectId ? { aadObjectId: input.aadObjectId } : {}),
    };
    const where = { workspaceId_platformUserId: { workspaceId, platformUserId: input.platformUserId } };
    try {
      const existing = await this.db.member.findUnique({ where });
      if (existing) {
        // A forgotten member keeps an empty tombstone: don't put their profile back.
        if (existing.optedOut || !hasChanges(existing, fields)) return toMember(existing);
        return toMember(await this.db.member.update({ where, data: fields }));
      }
      return toMember(
        await this.db.member.create({
          data: { workspaceId, platformUserId: input.platformUserId, ...fields },
        }),
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return toMember(await this.db.member.findUniqueOrThrow({ where }));
    }
  }

  async getMember(workspaceId: string, platformUserId: string): Promise<Member | null> {
    const row = await this.db.member.findUnique({
      where: { workspaceId_platformUserId: { workspaceId, platformUserId } },
    });
    return row ? toMember(row) : null;
  }

  async getMemberById(workspaceId: string, id: string): Promise<Member | null> {
    const row = await this.db.member.findFirst({ where: { id, workspaceId } });
    return row ? toMember(row) : null;
  }

  async getMembers(workspaceId: string, platformUserIds: string[]): Promise<Member[]> {
    if (platformUserIds.length === 0) return [];
    const rows = await this.db.member.findMany({
      where: { workspaceId, platformUserId: { in: platformUserIds } },
    });
    return rows.map(toMember);
  }

  async listMembers(workspaceId: string): Promise<Member[]> {
    const rows = await this.db.member.findMany({
      where: { workspaceId },
      orderBy: { platformUserId: "asc" },
    });
    return rows.map(toMember);
  }

  async memberCounts(): Promise<Map<string, number>> {
    const rows = await this.db.member.groupBy({ by: ["workspaceId"], _count: { _all: true } });
    return new Map(rows.map((r) => [r.workspaceId, r._count._all]));
  }

  async updateMember(workspaceId: string, id: string, patch: MemberPatch): Promise<Member> {
    await this.db.member.updateMany({ where: { id, workspaceId }, data: patch });
    return toMember(await this.db.member.findFirstOrThrow({ where: { id, workspaceId } }));
  }

  async forgetMember(workspaceId: string, id: string): Promise<void> {
    const scope = { workspaceId, memberId: id };
    // Contacts this member talked about, prompted about, lunched or met: those that nothing else
    // refers to once the member's rows are gone exist only because of this member, and go too
    // (their aliases cascade). See the README's privacy section.
    const touched = await this.db.contact.findMany({
      where: {
        workspaceId,
        OR: [
          { mentions: { some: { memberId: id } } },
          { nudges: { some: { memberId: id } } },
          { meetings: { some: { memberId: id } } },
          { lunches: { some: { organizerId: id } } },
        ],
      },
      select: { id: true },
    });
    // The opt-out flag first: mention writes check it in their own statement (bulk-mentions.ts), so
    // once it is set no new mention gets in, and the DELETEs below run after it; only a write that
    // was already running when this transaction committed can slip past.
    await this.db.$transaction([
      this.db.member.updateMany({
        where: { id, workspaceId },
        data: FORGOTTEN_MEMBER,
      }),
      this.db.mention.deleteMany({ where: scope }),
      this.db.nudge.deleteMany({ where: scope }),
      this.db.meeting.deleteMany({ where: scope }),
      this.db.calendarGrant.deleteMany({ where: scope }),
      this.db.noticedMeeting.deleteMany({ where: scope }),
      this.db.lunchAttendee.deleteMany({ where: { memberId: id } }),
      this.db.signInToken.deleteMany({ where: scope }),
      this.db.lunch.deleteMany({ where: { workspaceId, organizerId: id } }),
      // Checked in the same transaction, after the deletes: a mention by anyone else keeps it.
      this.db.contact.deleteMany({
        where: {
          workspaceId,
          id: { in: touched.map((c) => c.id) },
          mentions: { none: {} },
          nudges: { none: {} },
          meetings: { none: {} },
          lunches: { none: {} },
        },
      }),
    ]);
    await touchCoverage(this.database, workspaceId);
  }

  async findMemberByAadObjectId(workspaceId: string, aadObjectId: string): Promise<Member | null> {
    const row = await this.db.member.findFirst({ where: { workspaceId, aadObjectId } });
    return row ? toMember(row) : null;
  }

  async createSignInToken(
    workspaceId: string,
    memberId: string,
    tokenHash: string,
    expiresAt: Date,
  ): Promise<void> {
    await this.db.signInToken.create({ data: { workspaceId, memberId, tokenHash, expiresAt } });
  }

  async consumeSignInToken(
    tokenHash: string,
    now: Date,
  ): Promise<{ workspaceId: string; memberId: string } | null> {
    // Compare-and-set on usedAt: of two requests with the same link, one signs in.
    const { count } = await this.db.signInToken.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) return null;
    return this.db.signInToken.findUnique({
      where: { tokenHash },
      select: { workspaceId: true, memberId: true },
    });
  }
}
