import type { DigestData, DigestStore } from "../../core/ports.ts";
import type { Database, Db } from "../db.ts";
import { toNumber } from "../mappers.ts";
import { memberName } from "../shared.ts";
import { isUniqueViolation } from "./common.ts";
import type { PrismaContactStore } from "./contacts.ts";

/** The weekly digest on Prisma: its aggregates (SQL) and its one-per-week claim. */
export class PrismaDigestStore implements DigestStore {
  private readonly db: Db;

  constructor(
    database: Database,
    private readonly contacts: PrismaContactStore,
  ) {
    this.db = database.db;
  }

  async digestData(
    workspaceId: string,
    range: { start: Date; end: Date },
    coverageSince: Date,
    topN: number,
    earlier?: { since: Date; until: Date },
  ): Promise<DigestData> {
    const prevStart = new Date(range.start.getTime() - (range.end.getTime() - range.start.getTime()));
    const [week, previous, coverage] = await Promise.all([
      this.db.$queryRaw<Array<Record<string, unknown>>>`
        SELECT m."contactId" AS "contactId", COUNT(*) AS "mentions", COUNT(DISTINCT m."memberId") AS "teammates"
        FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
        WHERE m."workspaceId" = ${workspaceId} AND m."at" >= ${range.start} AND m."at" < ${range.end} AND c."status" = 'tracked'
        GROUP BY m."contactId" ORDER BY COUNT(*) DESC, m."contactId" LIMIT ${topN * 3}`,
      this.db.$queryRaw<Array<Record<string, unknown>>>`
        SELECT m."contactId" AS "contactId", COUNT(*) AS "mentions"
        FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
        WHERE m."workspaceId" = ${workspaceId} AND m."at" >= ${prevStart} AND m."at" < ${range.start} AND c."status" = 'tracked'
        GROUP BY m."contactId"`,
      // Without an earlier window, an empty one: the same scan, no earlier rows.
      this.coverageBoth(
        workspaceId,
        coverageSince,
        range.end,
        topN,
        earlier ?? { since: coverageSince, until: coverageSince },
      ),
    ]);
    const ids = [...new Set([...week, ...coverage].map((r) => String(r.contactId)))];
    const coverageRows = (isPrevious: boolean) =>
      coverage
        .filter((r) => (toNumber(r.isPrevious) === 1) === isPrevious)
        .flatMap((r) => {
          const c = contacts.get(String(r.contactId));
          return c
            ? [
                {
                  contactId: c.id,
                  displayName: c.displayName,
                  mentions: toNumber(r.mentions),
                  lastMetAt: c.lastMetAt,
                  status: c.status,
                },
              ]
            : [];
        });
    const contacts = new Map((await this.contacts.getContacts(workspaceId, ids)).map((c) => [c.id, c]));
    const prev = new Map(previous.map((r) => [String(r.contactId), toNumber(r.mentions)]));

    const [lunches, meetings] = await Promise.all([
      this.db.lunch.findMany({
        where: {
          workspaceId,
          OR: [
            { createdAt: { gte: range.start, lt: range.end } },
            { scheduledFor: { gte: range.start, lt: range.end } },
          ],
        },
        include: { contact: true, organizer: true, attendees: { include: { member: true } } },
        orderBy: { scheduledFor: "asc" },
      }),
      this.db.meeting.findMany({
        where: { workspaceId, metAt: { gte: range.start, lt: range.end } },
        include: { contact: true, member: true },
        orderBy: { metAt: "asc" },
      }),
    ]);
    const lunchView = (l: (typeof lunches)[number]) => ({
      contactName: l.contact.displayName,
      organizerName: memberName(l.organizer),
      attendeeNames: l.attendees.map((a) => memberName(a.member)),
      scheduledFor: l.scheduledFor,
      place: l.place,
    });
    const metBy = new Map<string, Set<string>>();
    for (const m of meetings) {
      const name = memberName(m.member);
      if (!metBy.has(name)) metBy.set(name, new Set());
      metBy.get(name)?.add(m.contact.displayName);
    }
    return {
      weekContacts: week.flatMap((r) => {
        const c = contacts.get(String(r.contactId));
        return c
          ? [
              {
                contactId: c.id,
                displayName: c.displayName,
                organization: c.organization,
                status: c.status,
                lastMetAt: c.lastMetAt,
                mentions: toNumber(r.mentions),
                previousWeekMentions: prev.get(c.id) ?? 0,
                teammates: toNumber(r.teammates),
              },
            ]
          : [];
      }),
      coverageContacts: coverageRows(false),
      ...(earlier ? { previousCoverageContacts: coverageRows(true) } : {}),
      lunchesPlanned: lunches.filter((l) => l.status !== "met" && l.status !== "cancelled").map(lunchView),
      lunchesHeld: lunches.filter((l) => l.status === "met").map(lunchView),
      meetings: [...metBy].map(([name, contactNames]) => ({
        memberName: name,
        contactNames: [...contactNames],
      })),
    };
  }

  /**
   * The coverage's top contacts of two overlapping windows (this week's and the week before's) from
   * one pass over the mentions: the 90-day scan is most of a digest's cost, and the two windows
   * share 83 of their days. Rows carry isPrevious 0 or 1.
   */
  private coverageBoth(
    workspaceId: string,
    since: Date,
    until: Date,
    topN: number,
    previous: { since: Date; until: Date },
  ): Promise<Array<Record<string, unknown>>> {
    const from = previous.since < since ? previous.since : since;
    return this.db.$queryRaw<Array<Record<string, unknown>>>`
      WITH agg AS MATERIALIZED (
        SELECT m."contactId" AS "contactId",
          SUM(CASE WHEN m."at" >= ${since} THEN 1 ELSE 0 END) AS "current",
          SUM(CASE WHEN m."at" >= ${previous.since} AND m."at" < ${previous.until} THEN 1 ELSE 0 END) AS "before"
        FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
        WHERE m."workspaceId" = ${workspaceId} AND m."at" >= ${from} AND m."at" < ${until} AND c."status" = 'tracked'
        GROUP BY m."contactId")
      SELECT * FROM (SELECT "contactId", "current" AS "mentions", 0 AS "isPrevious" FROM agg WHERE "current" > 0
        ORDER BY "mentions" DESC, "contactId" LIMIT ${topN}) a
      UNION ALL
      SELECT * FROM (SELECT "contactId", "before" AS "mentions", 1 AS "isPrevious" FROM agg WHERE "before" > 0
        ORDER BY "mentions" DESC, "contactId" LIMIT ${topN}) b`;
  }

  async claimDigest(
    workspaceId: string,
    week: string,
    channel: string,
    now: Date,
    staleAfterMs: number,
  ): Promise<"claimed" | "posted" | "in-progress" | "stale"> {
    try {
      await this.db.digest.create({
        data: { workspaceId, week, channel, status: "claimed", claimedAt: now },
      });
      return "claimed";
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const row = await this.db.digest.findUniqueOrThrow({
      where: { workspaceId_week: { workspaceId, week } },
    });
    // "posted" and "unconfirmed" are settled: nothing more is ever sent for that week.
    if (row.status !== "claimed" && row.status !== "posting") return "posted";
    if (now.getTime() - row.claimedAt.getTime() < staleAfterMs) return "in-progress";
    // Take over the stale claim atomically: only one process moves claimedAt forward. The status
    // stays as it was, so the new holder can tell "never sent" (claimed) from "maybe sent" (posting).
    const { count } = await this.db.digest.updateMany({
      where: { id: row.id, status: row.status, claimedAt: row.claimedAt },
      data: { claimedAt: now, channel },
    });
    return count === 1 ? "stale" : "in-progress";
  }

  async completeDigest(workspaceId: string, week: string, messageRef: string, now: Date): Promise<void> {
    await this.db.digest.updateMany({
      where: { workspaceId, week },
      data: { status: "posted", postedAt: now, messageRef },
    });
  }

  async releaseDigest(workspaceId: string, week: string): Promise<void> {
    await this.db.digest.deleteMany({ where: { workspaceId, week, status: { in: ["claimed", "posting"] } } });
  }

  async markDigestPosting(workspaceId: string, week: string, claimedAt: Date): Promise<boolean> {
    const { count } = await this.db.digest.updateMany({
      where: { workspaceId, week, claimedAt, status: { in: ["claimed", "posting"] } },
      data: { status: "posting" },
    });
    return count === 1;
  }

  async renewDigestClaim(workspaceId: string, week: string, claimedAt: Date, now: Date): Promise<boolean> {
    const { count } = await this.db.digest.updateMany({
      where: { workspaceId, week, claimedAt, status: { in: ["claimed", "posting"] } },
      data: { claimedAt: now },
    });
    return count === 1;
  }

  async markDigestUnconfirmed(workspaceId: string, week: string): Promise<void> {
    await this.db.digest.updateMany({
      where: { workspaceId, week, status: "posting" },
      data: { status: "unconfirmed" },
    });
  }

  async getDigest(
    workspaceId: string,
    week: string,
  ): Promise<{ status: string; postedAt: Date | null; messageRef: string | null } | null> {
    return this.db.digest.findUnique({
      where: { workspaceId_week: { workspaceId, week } },
      select: { status: true, postedAt: true, messageRef: true },
    });
  }
}
