import { randomUUID } from "node:crypto";
import type { MentionBatchItem } from "../core/ports.ts";
import type { Database } from "./db.ts";

// replaceMentions for many messages at once: the export import and coalesced live events write a
// batch of messages with one statement on PostgreSQL, and a few in one transaction on SQLite,
// instead of a transaction per message.
//
// Order matters on SQLite: the transaction starts with the INSERT, so it holds the write lock from
// its first statement. A read first would make it a reader that must upgrade later, and SQLite
// refuses that upgrade (SQLITE_BUSY, no waiting) when another process wrote in between.

/** Rows per INSERT: 8 parameters each, well under SQLite's and PostgreSQL's parameter limits. */
const INSERT_ROWS = 500;
/** Message ids per IN (…) list. */
const ID_CHUNK = 1000;
/** Bound parameters per statement: SQLite allows 32,766, PostgreSQL 65,535. */
const MAX_PARAMS = 30_000;

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

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
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
  const wanted = new Map<string, Set<string>>();
  const rows: unknown[][] = [];
  for (const i of last.values()) {
    const item = items[i] as MentionBatchItem;
    const ids = new Set(item.contactIds);
    wanted.set(item.messageId, ids);
    for (const contactId of ids) {
      rows.push([
        randomUUID(),
        workspaceId,
        contactId,
        item.base.memberId,
        item.base.channelId,
        item.messageId,
        item.base.at,
        item.base.source,
      ]);
    }
  }
  const countFor = (messageId: string) => counts[last.get(messageId) as number] as BatchCounts;

  if (database.provider === "postgresql") {
    await writePg(database, workspaceId, rows, wanted, countFor);
    return counts;
  }
  const ph = placeholders(database.provider);
  await database.db.$transaction(
    async (tx) => {
      for (const chunk of chunks(rows, INSERT_ROWS)) {
        // ON CONFLICT DO NOTHING: a mention already stored (re-import, a live event) never counts twice.
        const inserted = await tx.$queryRawUnsafe<Array<{ messageId: string }>>(
          `INSERT INTO "Mention" ("id", "workspaceId", "contactId", "memberId", "channelId", "messageId", "at", "source")
           SELECT * FROM (VALUES ${ph.rows(chunk.length, 8)}) AS v
           WHERE ${NOT_OPTED_OUT("v.column4")}
           ON CONFLICT ("workspaceId", "messageId", "contactId") DO NOTHING
           RETURNING "messageId"`,
          ...chunk.flat(),
        );
        for (const r of inserted) countFor(r.messageId).added++;
      }
      // Then whatever else these messages had: one DELETE per chunk that returns only what it
      // removed (usually nothing), instead of reading every mention back to diff in JavaScript.
      for (const { ids, keep } of deleteChunks([...last.keys()], wanted)) {
        const from = 2 + ids.length;
        const removed = await tx.$queryRawUnsafe<Array<{ messageId: string }>>(
          `DELETE FROM "Mention"
           WHERE "workspaceId" = ${ph.at(1)} AND "messageId" IN (${ph.list(2, ids.length)})
           ${keep.length > 0 ? `AND ("messageId", "contactId") NOT IN (VALUES ${ph.rows(keep.length / 2, 2, from)})` : ""}
           RETURNING "messageId"`,
          workspaceId,
          ...ids,
          ...keep,
        );
        for (const r of removed) countFor(r.messageId).removed++;
      }
    },
    // A batch is a few thousand rows; the default 5 s would be tight on a busy database.
    { timeout: 120_000, maxWait: 60_000 },
  );
  return counts;
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
  rows: unknown[][],
  wanted: Map<string, Set<string>>,
  countFor: (messageId: string) => BatchCounts,
): Promise<void> {
  const col = (k: number) => rows.map((r) => r[k]);
  const keepMessages: string[] = [];
  const keepContacts: string[] = [];
  for (const [messageId, contacts] of wanted) {
    for (const contactId of contacts) {
      keepMessages.push(messageId);
      keepContacts.push(contactId);
    }
  }
  const params = [
    workspaceId,
    col(0),
    col(2),
    col(3),
    col(4),
    col(5),
    // TIMESTAMP(3) holds UTC without a zone, as Prisma writes it.
    col(6).map((d) => (d as Date).toISOString().replace("T", " ").replace("Z", "")),
    col(7),
    [...wanted.keys()],
    keepMessages,
    keepContacts,
  ];
  const changed = database.pgPool
    ? (await database.pgPool.query<{ added: boolean; messageId: string }>(PG_BATCH_SQL, params)).rows
    : await database.db.$queryRawUnsafe<Array<{ added: boolean; messageId: string }>>(
        PG_BATCH_SQL,
        ...params,
      );
  for (const r of changed) {
    if (r.added) countFor(r.messageId).added++;
    else countFor(r.messageId).removed++;
  }
}

/** Message ids with the (messageId, contactId) pairs to keep, sized under the parameter limits. */
function deleteChunks(
  ids: string[],
  wanted: Map<string, Set<string>>,
): Array<{ ids: string[]; keep: string[] }> {
  const out: Array<{ ids: string[]; keep: string[] }> = [];
  let cur = { ids: [] as string[], keep: [] as string[] };
  for (const id of ids) {
    const pairs = wanted.get(id) ?? new Set<string>();
    const params = 1 + cur.ids.length + 1 + cur.keep.length + 2 * pairs.size;
    if (cur.ids.length > 0 && (cur.ids.length >= ID_CHUNK || params > MAX_PARAMS)) {
      out.push(cur);
      cur = { ids: [], keep: [] };
    }
    cur.ids.push(id);
    for (const contactId of pairs) cur.keep.push(id, contactId);
  }
  if (cur.ids.length > 0) out.push(cur);
  return out;
}

function placeholders(provider: Database["provider"]) {
  const at = (n: number) => (provider === "postgresql" ? `$${n}` : "?");
  const list = (from: number, count: number) =>
    Array.from({ length: count }, (_, k) => at(from + k)).join(", ");
  const rows = (count: number, width: number, from = 1) =>
    Array.from({ length: count }, (_, r) => `(${list(from + r * width, width)})`).join(", ");
  return { at, list, rows };
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
    return { added: 0, removed };
  }
  return (await writeBatch(database, workspaceId, [item]))[0] as BatchCounts;
}
