import type { MentionBase, MentionBatchItem, MentionCount, MentionStore } from "../../core/ports.ts";
import { coMentionedPairs } from "../../core/same-person.ts";
import { replaceMentionsBatch, replaceMessageMentions } from "../bulk-mentions.ts";
import { touchCoverage } from "../coverage-touch.ts";
import type { Database, Db } from "../db.ts";
import { toDate, toNumber } from "../mappers.ts";

/** Mentions on Prisma; the writes are the batched statements of bulk-mentions.ts. */
export class PrismaMentionStore implements MentionStore {
  private readonly db: Db;

  constructor(private readonly database: Database) {
    this.db = database.db;
  }

  async replaceMentions(
    workspaceId: string,
    messageId: string,
    base: MentionBase,
    contactIds: string[],
  ): Promise<{ added: number; removed: number }> {
    return replaceMessageMentions(this.database, workspaceId, { messageId, base, contactIds });
  }

  async replaceMentionsBatch(
    workspaceId: string,
    items: MentionBatchItem[],
  ): Promise<Array<{ added: number; removed: number }>> {
    return replaceMentionsBatch(this.database, workspaceId, items);
  }

  async deleteMentionsForMessage(workspaceId: string, messageId: string): Promise<number> {
    const { count } = await this.db.mention.deleteMany({ where: { workspaceId, messageId } });
    if (count > 0) await touchCoverage(this.database, workspaceId);
    return count;
  }

  async mentionCounts(workspaceId: string, since: Date): Promise<MentionCount[]> {
    const rows = await this.db.$queryRaw<Array<Record<string, unknown>>>`
      SELECT m."memberId" AS "memberId", m."contactId" AS "contactId", COUNT(*) AS "count",
             MIN(m."at") AS "firstAt", MAX(m."at") AS "lastAt"
      FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
      WHERE m."workspaceId" = ${workspaceId} AND m."at" >= ${since}
        AND (c."lastMetAt" IS NULL OR m."at" > c."lastMetAt")
      GROUP BY m."memberId", m."contactId"`;
    return rows.map((r) => ({
      memberId: String(r.memberId),
      contactId: String(r.contactId),
      count: toNumber(r.count),
      firstAt: toDate(r.firstAt),
      lastAt: toDate(r.lastAt),
    }));
  }

  async mentionEvents(
    workspaceId: string,
    since: Date,
  ): Promise<Array<{ memberId: string; contactId: string; at: Date }>> {
    return this.db.mention.findMany({
      where: { workspaceId, at: { gte: since } },
      select: { memberId: true, contactId: true, at: true },
    });
  }

  async nthLatestMentionAt(workspaceId: string, nth: number): Promise<Date | null> {
    // The (workspaceId, at) index walked backwards: `nth` rows read, whatever the table's size.
    const row = await this.db.mention.findFirst({
      where: { workspaceId },
      orderBy: { at: "desc" },
      skip: Math.max(0, nth - 1),
      select: { at: true },
    });
    return row?.at ?? null;
  }

  async coMentioned(workspaceId: string, contactIds: string[]): Promise<Array<[string, string]>> {
    if (contactIds.length === 0) return [];
    const rows = await this.db.mention.findMany({
      where: { workspaceId, contactId: { in: contactIds } },
      select: { messageId: true, contactId: true },
    });
    return coMentionedPairs(rows);
  }

  async deleteMentionsBefore(before: Date, workspaceId?: string): Promise<number> {
    const { count } = await this.db.mention.deleteMany({
      where: { at: { lt: before }, ...(workspaceId ? { workspaceId } : {}) },
    });
    if (count > 0) await touchCoverage(this.database, workspaceId, { from: new Date(0), to: before });
    return count;
  }

  async countMentions(workspaceId?: string): Promise<number> {
    return this.db.mention.count(workspaceId ? { where: { workspaceId } } : undefined);
  }
}
