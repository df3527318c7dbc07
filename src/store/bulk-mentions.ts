import type { MentionBatchItem } from "../core/ports.ts";
import { spanOf, touchCoverage } from "./coverage-touch.ts";
import { type Database, pgPrepared, pgTimestamp } from "./db.ts";
import { timeOrderedId } from "./ids.ts";

// replaceMentions for many messages at once: the export import and coalesced live events write a
// batch of messages with one statement on PostgreSQL, and two in one transaction on SQLite,
// instead of a transaction per message.
//
// Order matters on SQLite: the transaction starts with the INSERT, so it holds the write lock from
// its first statement. A read first would make it a reader that must upgrade later, and SQLite
// refuses that upgrade (SQLITE_BUSY, no waiting) when another process wrote in between.

/**
 * Every INSERT re-checks the author in the same statement: callers work from cached member rows,
 * and a member who opted out (forget-me) on another replica a moment ago must not get new mentions.
 */
const NOT_OPTED_OUT = (memberId: string) =>
  `NOT EXISTS (SELECT 1 FROM "Member" m WHERE m."id" = ${memberId} AND m."optedOut")`;

export interface BatchCounts {
  added: number;
  removed: number;
}

/** A mention a batch keeps (its workspace is the batch's). */
interface MentionRow {
  id: string;
  contactId: string;
  memberId: string;
  channelId: string;
  messageId: string;
  at: Date;
  source: string;
}

export async function replaceMentionsBatch(
  database: Database,
  workspaceId: string,
  items: readonly MentionBatchItem[],
): Promise<BatchCounts[]> {
  if (items.length === 1)
    return [await replaceMessageMentions(database, workspaceId, items[0] as MentionBatchItem)];
  return writeBatch(database, workspaceId, items);
}

async function writeBatch(
  database: Database,
  workspaceId: string,
  items: readonly MentionBatchItem[],
): Promise<BatchCounts[]> {
  const counts = items.map(() => ({ added: 0, removed: 0 }));
  // The same message twice in one batch (a re-exported edit): the last one is what it says now,
  // exactly as if the two had been replaced one after the other.
  const last = new Map<string, number>();
  for (const [i, item] of items.entries()) last.set(item.messageId, i);
  if (last.size === 0) return counts;
  // One row per (message, contact) to keep; everything else these messages had is removed.
  const rows: MentionRow[] = [];
  for (const i of last.values()) {
    const item = items[i] as MentionBatchItem;
    for (const contactId of new Set(item.contactIds)) {
      const { memberId, channelId, at, source } = item.base;
      rows.push({
        id: timeOrderedId(),
        contactId,
        memberId,
        channelId,
        messageId: item.messageId,
        at,
        source,
      });
    }
  }
  const messageIds = [...last.keys()];
  const countFor = (messageId: string) => counts[last.get(messageId) as number] as BatchCounts;

  if (database.provider === "postgresql") await writePg(database, workspaceId, rows, messageIds, countFor);
  else await writeSqlite(database, workspaceId, rows, messageIds, countFor);
  // Removed mentions may be anywhere in time (an edit of an old message): every window.
  if (counts.some((c) => c.removed > 0)) await touchCoverage(database, workspaceId);
  else if (counts.some((c) => c.added > 0))
    await touchCoverage(database, workspaceId, spanOf(rows.map((r) => r.at)));
  return counts;
}

/**
 * SQLite: one INSERT and one DELETE per batch, whatever its size, each taking its rows as a single
 * JSON parameter (json_each) rather than eight bound parameters per row. Prisma's handling of the
 * thousands of parameters a batch had cost more than SQLite's own work; this is the SQLite twin of
 * the PostgreSQL statement's one array per column.
 */
async function writeSqlite(
  database: Database,
  workspaceId: string,
  rows: readonly MentionRow[],
  messageIds: readonly string[],
  countFor: (messageId: string) => BatchCounts,
): Promise<void> {
  const inserts = JSON.stringify(
    // Dates as the SQLite adapter writes them: ISO 8601 with an explicit UTC offset.
    rows.map((r) => [
      r.id,
      r.contactId,
      r.memberId,
      r.channelId,
      r.messageId,
      r.at.toISOString().replace("Z", "+00:00"),
      r.source,
    ]),
  );
  await database.db.$transaction(
    async (tx) => {
      if (rows.length > 0) {
        // ON CONFLICT DO NOTHING: a mention already stored (re-import, a live event) never counts twice.
        const inserted = await tx.$queryRawUnsafe<Array<{ messageId: string }>>(
          `INSERT INTO "Mention" ("id", "workspaceId", "contactId", "memberId", "channelId", "messageId", "at", "source")
           SELECT r.value ->> 0, ?, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6
           FROM json_each(?) AS r
           WHERE ${NOT_OPTED_OUT("r.value ->> 2")}
           ON CONFLICT ("workspaceId", "messageId", "contactId") DO NOTHING
           RETURNING "messageId"`,
          workspaceId,
          inserts,
        );
        for (const r of inserted) countFor(r.messageId).added++;
      }
      // Then whatever else these messages had: a DELETE that returns only what it removed (usually
      // nothing), instead of reading every mention back to diff in JavaScript.
      const removed = await tx.$queryRawUnsafe<Array<{ messageId: string }>>(
        `DELETE FROM "Mention"
         WHERE "workspaceId" = ? AND "messageId" IN (SELECT value FROM json_each(?))
           AND ("messageId", "contactId") NOT IN (SELECT k.value ->> 0, k.value ->> 1 FROM json_each(?) AS k)
         RETURNING "messageId"`,
        workspaceId,
        JSON.stringify(messageIds),
        JSON.stringify(rows.map((r) => [r.messageId, r.contactId])),
      );
      for (const r of removed) countFor(r.messageId).removed++;
    },
    // A batch is a few thousand rows; the default 5 s would be tight on a busy database.
    { timeout: 120_000, maxWait: 60_000 },
  );
}

/** See writePg. */
export const PG_BATCH_SQL = `WITH ins AS (
     INSERT INTO "Mention" ("id", "workspaceId", "contactId", "memberId", "channelId", "messageId", "at", "source")
     SELECT n.id, $1, n.contact, n.member, n.channel, n.message, n.at, n.source
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamp(3)[], $8::text[])
       AS n(id, contact, member, channel, message, at, source)
     WHERE ${NOT_OPTED_OUT("n.member")}
     ON CONFLICT ("workspaceId", "messageId", "contactId") DO NOTHING
     RETURNING "messageId"
   ), del AS (
     DELETE FROM "Mention"
     WHERE "id" = ANY(ARRAY(
       SELECT x."id" FROM unnest($9::text[]) AS d(message)
       CROSS JOIN LATERAL (
         SELECT m."id", m."messageId", m."contactId" FROM "Mention" m
         WHERE m."workspaceId" = $1 AND m."messageId" = d.message
         OFFSET 0
       ) x
       WHERE (x."messageId", x."contactId") NOT IN (SELECT * FROM unnest($10::text[], $11::text[]))
     ))
     RETURNING "messageId"
   )
   SELECT true AS added, "messageId" FROM ins UNION ALL SELECT false, "messageId" FROM del`;

/**
 * PostgreSQL: the INSERT and the DELETE as one statement (a data-modifying CTE: atomic without a
 * BEGIN/COMMIT round trip each), with one array per column (unnest) instead of thousands of bound
 * parameters, which is far cheaper to bind and parse on both sides and has no size limit. The two
 * never touch the same row: the DELETE keeps exactly the pairs the INSERT writes.
 *
 * The DELETE looks up each message's mentions on their own (a LATERAL subquery that OFFSET 0 keeps
 * from being flattened, so it can only use the (workspace, message) index). Written as a plain
 * `"messageId" = ANY(…)`, the planner read the workspace's every mention for each batch whenever the
 * table's statistics were missing or stale, as they are all through an import (autovacuum analyzes
 * at most once a minute): 15 ms per batch at 55,000 mentions, growing with the table, against 1–2 ms.
 */
async function writePg(
  database: Database,
  workspaceId: string,
  rows: readonly MentionRow[],
  messageIds: readonly string[],
  countFor: (messageId: string) => BatchCounts,
): Promise<void> {
  const col = <K extends keyof MentionRow>(k: K) => rows.map((r) => r[k]);
  const { rows: changed } = await pgPrepared<{ added: boolean; messageId: string }>(
    database,
    "mentions-replace",
    PG_BATCH_SQL,
    [
      workspaceId,
      col("id"),
      col("contactId"),
      col("memberId"),
      col("channelId"),
      col("messageId"),
      rows.map((r) => pgTimestamp(r.at)),
      col("source"),
      messageIds,
      // The DELETE keeps exactly the pairs the INSERT writes.
      col("messageId"),
      col("contactId"),
    ],
  );
  for (const r of changed) {
    if (r.added) countFor(r.messageId).added++;
    else countFor(r.messageId).removed++;
  }
}

/**
 * One message's mentions (the live path: one event at a time). A message without contacts (most
 * of them) is a single DELETE; otherwise it is a batch of one (on PostgreSQL a single statement).
 */
export async function replaceMessageMentions(
  database: Database,
  workspaceId: string,
  item: MentionBatchItem,
): Promise<BatchCounts> {
  if (item.contactIds.length === 0) {
    const removed = await database.db.$executeRawUnsafe(
      `DELETE FROM "Mention" WHERE "workspaceId" = ${database.provider === "postgresql" ? "$1" : "?"} AND "messageId" = ${database.provider === "postgresql" ? "$2" : "?"}`,
      workspaceId,
      item.messageId,
    );
    if (removed > 0) await touchCoverage(database, workspaceId);
    return { added: 0, removed };
  }
  return (await writeBatch(database, workspaceId, [item]))[0] as BatchCounts;
}
