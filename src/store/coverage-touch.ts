import { type Database, pgPrepared, pgTimestamp } from "./db.ts";

/**
 * Call after a write that can change a coverage window's numbers (mentions, meetings, a contact's
 * status, merges, deletions), once it is committed: when the dashboard's coverage cache
 * (CoverageWeek, see PrismaDigestStore.coverageSeries) holds or is computing a window that
 * overlaps [from, to] (any window without a range), the workspace's coverage epoch moves on and
 * those rows stop counting. A row is registered before its window is read, so a write either
 * lands before that read (and is counted) or finds the row here (and voids it). The live path's
 * mentions are at "now", after every completed week: the EXISTS finds nothing and nothing is
 * written.
 */
export async function touchCoverage(
  database: Database,
  workspaceId: string | undefined,
  range?: { from: Date; to: Date },
): Promise<void> {
  const db = database.db;
  const far = { from: new Date("0001-01-01T00:00:00Z"), to: new Date("9999-12-31T00:00:00Z") };
  const { from, to } = range ?? far;
  // The live path runs this after every batch of mentions: on PostgreSQL, a prepared statement.
  if (workspaceId && database.provider === "postgresql")
    await pgPrepared(
      database,
      "coverage-touch",
      `UPDATE "Workspace" SET "coverageEpoch" = "coverageEpoch" + 1
       WHERE "id" = $1 AND EXISTS (SELECT 1 FROM "CoverageWeek" cw
         WHERE cw."workspaceId" = $1 AND cw."until" > $2::timestamp(3) AND cw."since" <= $3::timestamp(3))`,
      [workspaceId, pgTimestamp(from), pgTimestamp(to)],
    );
  else if (workspaceId)
    await db.$executeRaw`UPDATE "Workspace" SET "coverageEpoch" = "coverageEpoch" + 1
      WHERE "id" = ${workspaceId} AND EXISTS (SELECT 1 FROM "CoverageWeek" cw
        WHERE cw."workspaceId" = ${workspaceId} AND cw."until" > ${from} AND cw."since" <= ${to})`;
  else
    await db.$executeRaw`UPDATE "Workspace" SET "coverageEpoch" = "coverageEpoch" + 1
      WHERE EXISTS (SELECT 1 FROM "CoverageWeek" cw
        WHERE cw."workspaceId" = "Workspace"."id" AND cw."until" > ${from} AND cw."since" <= ${to})`;
}

/** The smallest and largest of some instants (a batch's mentions), or undefined when none. */
export function spanOf(dates: Iterable<Date>): { from: Date; to: Date } | undefined {
  let from: Date | undefined;
  let to: Date | undefined;
  for (const d of dates) {
    if (!from || d < from) from = d;
    if (!to || d > to) to = d;
  }
  return from && to ? { from, to } : undefined;
}
