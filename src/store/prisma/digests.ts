import type { DigestData, DigestStore } from "../../core/ports.ts";
import type { Database, Db } from "../db.ts";
import { toNumber } from "../mappers.ts";
import { coverageSegments, memberName } from "../shared.ts";
import { isUniqueViolation } from "./common.ts";
import type { PrismaContactStore } from "./contacts.ts";

/** How many times the top N the coverage series probes for its pruning floor. */
const PROBE_FACTOR = 10;

/** The weekly digest on Prisma: its aggregates (SQL) and its one-per-week claim. */
export class PrismaDigestStore implements DigestStore {
  private readonly db: Db;
  private readonly provider: Database["provider"];

  constructor(
    database: Database,
    private readonly contacts: PrismaContactStore,
  ) {
    this.db = database.db;
    this.provider = database.provider;
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

  /**
   * Offline coverage per window, in one statement. Most of the work is ranking every contact in
   * every window; a contact whose mentions over the whole span are below what the N-th contact of
   * some window reaches can't be in any window's top N, so the ranking skips those. That floor
   * comes from probing the N × PROBE_FACTOR most mentioned contacts: the N-th best count among a
   * subset never exceeds the true one, so nothing of a true top N is skipped (and when a window
   * has fewer than N probed contacts, nothing is skipped at all).
   */
  async coverageSeries(
    workspaceId: string,
    windows: Array<{ since: Date; until: Date }>,
    topN: number,
    opts: { finalBefore?: Date } = {},
  ): Promise<Array<{ met: number; total: number }>> {
    const { finalBefore } = opts;
    const final = windows.map((w) => finalBefore !== undefined && w.until <= finalBefore);
    if (!final.some(Boolean)) return this.computeSeries(workspaceId, windows, topN);
    const n = Math.max(1, Math.floor(topN));
    const ws = await this.db.workspace.findUnique({
      where: { id: workspaceId },
      select: { coverageEpoch: true },
    });
    if (!ws) return this.computeSeries(workspaceId, windows, topN);
    const epoch = ws.coverageEpoch;
    const keyOf = (since: Date, until: Date) => `${since.getTime()}/${until.getTime()}`;
    const cached = await this.db.coverageWeek.findMany({
      where: {
        workspaceId,
        topN: n,
        epoch,
        until: { in: windows.filter((_, i) => final[i]).map((w) => w.until) },
      },
    });
    const hits = new Map<string, { met: number; total: number }>();
    for (const r of cached)
      if (r.met !== null && r.total !== null)
        hits.set(keyOf(r.since, r.until), { met: r.met, total: r.total });
    const out = windows.map((w, i) => (final[i] ? (hits.get(keyOf(w.since, w.until)) ?? null) : null));
    const missing = windows.flatMap((w, i) => (out[i] === null ? [{ w, i }] : []));
    if (missing.length === 0) return out as Array<{ met: number; total: number }>;
    // Keeping windows is only a cache: when its writes fail (a unique violation because another
    // view registered the same windows a moment ago, or on SQLite another replica holding the write
    // lock past the busy timeout), the numbers are computed all the same and not kept.
    let toKeep = missing.filter((m) => final[m.i]);
    if (toKeep.length > 0) {
      // Registered before the mentions are read: a write landing in one of these windows from now
      // on finds its row and moves the epoch on (coverage-touch.ts), which voids what is read here.
      try {
        await this.db.coverageWeek.deleteMany({ where: { workspaceId, epoch: { lt: epoch } } });
        await this.db.$transaction(
          toKeep.map(({ w }) =>
            this.db.coverageWeek.upsert({
              where: {
                workspaceId_until_since_topN: { workspaceId, until: w.until, since: w.since, topN: n },
              },
              create: { workspaceId, since: w.since, until: w.until, topN: n, epoch },
              update: {},
            }),
          ),
        );
      } catch (err) {
        // Another view registered the same windows a moment ago: theirs count as ours (registered
        // before our read too) and are filled in below. Anything else: nothing is kept this time
        // (a row someone registers after our read must not get numbers that read may have missed).
        if (!isUniqueViolation(err)) toKeep = [];
      }
    }
    const computed = await this.computeSeries(
      workspaceId,
      missing.map((m) => m.w),
      topN,
    );
    for (const [j, { i }] of missing.entries()) out[i] = computed[j] ?? { met: 0, total: 0 };
    if (toKeep.length > 0)
      await this.db
        .$transaction(
          toKeep.map(({ w, i }) =>
            this.db.coverageWeek.updateMany({
              where: { workspaceId, since: w.since, until: w.until, topN: n, epoch },
              data: out[i] as { met: number; total: number },
            }),
          ),
        )
        // Rows registered but never filled in count as missing next time (met is null).
        .catch(() => undefined);
    return out as Array<{ met: number; total: number }>;
  }

  async coverageTop(
    workspaceId: string,
    window: { since: Date; until: Date },
    limit: number,
  ): Promise<Array<{ contactId: string; mentions: number; met: boolean }>> {
    const k = Math.max(0, Math.floor(limit));
    if (k === 0) return [];
    const { since, until } = window;
    const rows = await this.db.$queryRaw<Array<Record<string, unknown>>>`
      WITH top AS MATERIALIZED (
        SELECT m."contactId" AS cid, COUNT(*) AS n
        FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
        WHERE m."workspaceId" = ${workspaceId} AND m."at" >= ${since} AND m."at" < ${until} AND c."status" = 'tracked'
        GROUP BY m."contactId" ORDER BY COUNT(*) DESC, m."contactId" LIMIT ${k})
      SELECT top.cid AS "contactId", top.n AS "mentions",
        CASE WHEN EXISTS (SELECT 1 FROM "Meeting" mt WHERE mt."workspaceId" = ${workspaceId}
          AND mt."contactId" = top.cid AND mt."metAt" >= ${since} AND mt."metAt" < ${until}) THEN 1 ELSE 0 END AS "met"
      FROM top ORDER BY top.n DESC, top.cid`;
    return rows.map((r) => ({
      contactId: String(r.contactId),
      mentions: toNumber(r.mentions),
      met: toNumber(r.met) === 1,
    }));
  }

  async teammateCounts(
    workspaceId: string,
    contactIds: string[],
    window: { since: Date; until: Date },
  ): Promise<Map<string, number>> {
    if (contactIds.length === 0) return new Map();
    const pairs = await this.db.mention.groupBy({
      by: ["contactId", "memberId"],
      where: { workspaceId, contactId: { in: contactIds }, at: { gte: window.since, lt: window.until } },
    });
    const counts = new Map<string, number>();
    for (const p of pairs) counts.set(p.contactId, (counts.get(p.contactId) ?? 0) + 1);
    return counts;
  }

  /** coverageSeries without the cache: the one-statement computation. */
  private async computeSeries(
    workspaceId: string,
    windows: Array<{ since: Date; until: Date }>,
    topN: number,
  ): Promise<Array<{ met: number; total: number }>> {
    if (windows.length === 0) return [];
    const plan = coverageSegments(windows);
    const pg = this.provider === "postgresql";
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return pg ? `$${params.length}` : "?";
    };
    const b = plan.boundaries;
    const first = b[0] as Date;
    const last = b[b.length - 1] as Date;
    // Which segment a timestamp falls in, as a balanced CASE tree: ~6 comparisons a row, not 50.
    const segmentOf = (col: string, lo: number, hi: number): string => {
      if (hi - lo === 1) return String(lo);
      const mid = (lo + hi) >> 1;
      return `CASE WHEN ${col} < ${p(b[mid])} THEN ${segmentOf(col, lo, mid)} ELSE ${segmentOf(col, mid, hi)} END`;
    };
    const segs = b.length - 1;
    const mentionSeg = segmentOf(`m."at"`, 0, segs);
    const mentionWhere = `m."workspaceId" = ${p(workspaceId)} AND m."at" >= ${p(first)} AND m."at" < ${p(last)}`;
    const meetingSeg = segmentOf(`mt."metAt"`, 0, segs);
    const meetingWhere = `mt."workspaceId" = ${p(workspaceId)} AND mt."metAt" >= ${p(first)} AND mt."metAt" < ${p(last)}`;
    // Window bounds are segment indexes we computed: integers, inlined.
    const win = plan.windows.map((w, k) => `(${k}, ${w.lo}, ${w.hi})`).join(", ");
    const n = Math.max(1, Math.floor(topN));
    // Each (segment, window) pair the window covers, so segments meet windows by an equality
    // (hash) join instead of a range test of every segment against every window.
    const cover = plan.windows
      .flatMap((w, k) => Array.from({ length: Math.max(0, w.hi - w.lo) }, (_, i) => `(${w.lo + i}, ${k})`))
      .join(", ");
    const rows = await this.db.$queryRawUnsafe<Array<Record<string, unknown>>>(
      `WITH seg AS MATERIALIZED (
        SELECT m."contactId" AS cid, ${mentionSeg} AS s, COUNT(*) AS n
        FROM "Mention" m JOIN "Contact" c ON c."id" = m."contactId"
        WHERE ${mentionWhere} AND c."status" = 'tracked'
        GROUP BY 1, 2),
      met AS MATERIALIZED (SELECT DISTINCT mt."contactId" AS cid, ${meetingSeg} AS s FROM "Meeting" mt WHERE ${meetingWhere}),
      win(k, lo, hi) AS (VALUES ${win}),
      cover(s, k) AS (VALUES ${cover || "(-1, -1)"}),
      total AS MATERIALIZED (SELECT cid, SUM(n) AS t FROM seg GROUP BY cid),
      probe AS (SELECT cid FROM total ORDER BY t DESC, cid LIMIT ${n * PROBE_FACTOR}),
      probed AS (SELECT cover.k AS k, seg.cid AS cid, SUM(seg.n) AS n FROM seg JOIN probe ON probe.cid = seg.cid
        JOIN cover ON cover.s = seg.s GROUP BY cover.k, seg.cid),
      nth AS (SELECT k, MIN(n) AS th, COUNT(*) AS c FROM (SELECT k, n, ROW_NUMBER() OVER (PARTITION BY k ORDER BY n DESC) AS r FROM probed) x
        WHERE r <= ${n} GROUP BY k),
      cut AS (SELECT CASE WHEN (SELECT COUNT(*) FROM nth WHERE c >= ${n}) = ${windows.length}
        THEN (SELECT MIN(th) FROM nth) ELSE 0 END AS f),
      tot AS (SELECT cover.k AS k, seg.cid AS cid, SUM(seg.n) AS n FROM seg JOIN total ON total.cid = seg.cid
        JOIN cover ON cover.s = seg.s WHERE total.t >= (SELECT f FROM cut) GROUP BY cover.k, seg.cid),
      ranked AS (SELECT k, cid, ROW_NUMBER() OVER (PARTITION BY k ORDER BY n DESC, cid) AS r FROM tot),
      top AS (SELECT k, cid FROM ranked WHERE r <= ${n}),
      metwin AS (SELECT DISTINCT top.k AS k, top.cid AS cid FROM top JOIN win w ON w.k = top.k
        JOIN met ON met.cid = top.cid AND met.s >= w.lo AND met.s < w.hi)
      SELECT top.k AS k, COUNT(*) AS total, COUNT(metwin.cid) AS met
      FROM top LEFT JOIN metwin ON metwin.k = top.k AND metwin.cid = top.cid GROUP BY top.k`,
      ...params,
    );
    const out = windows.map(() => ({ met: 0, total: 0 }));
    for (const r of rows) out[toNumber(r.k)] = { met: toNumber(r.met), total: toNumber(r.total) };
    return out;
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
