import { type Database, pgPrepared, pgTimestamp } from "./db.ts";
import { timeOrderedId } from "./ids.ts";

// The durable inbox's writes for many events at once. Each event is one INSERT before its ack and
// one UPDATE after processing; under load those round trips are most of an event's cost, so the
// inbox can coalesce concurrent deliveries (core/coalescer.ts) into these single statements. On
// PostgreSQL they go straight through pg with one array per column (see pgPoolOf for why),
// as prepared statements (pgPrepared).

/** SQLite binds each row as five parameters, and a statement takes at most 32,766 of them. */
const ROWS = 500;
/** PostgreSQL: rows per INSERT (see recordEvents). */
const PG_ROWS = 100;

export interface EventRecord {
  key: string;
  workspaceId: string | null;
  payload: string;
}

/** recordEvent for many events: true for each key stored now, false for a key seen before (or earlier in `items`). */
export async function recordEvents(database: Database, items: readonly EventRecord[]): Promise<boolean[]> {
  const fresh = new Set<string>();
  const now = new Date();
  if (database.provider === "postgresql") {
    // Rows as VALUES with a parameter per field, not one array per column: an event's payload (1–2
    // KB of JSON) would be escaped into an array literal by pg and parsed back by PostgreSQL,
    // which measured more than the INSERT itself. One prepared statement per batch size, so at
    // most PG_ROWS of them per connection (the inbox's batches are at most 100 events).
    for (let i = 0; i < items.length; i += PG_ROWS) {
      const chunk = items.slice(i, i + PG_ROWS);
      const values: unknown[] = [pgTimestamp(now)];
      const rows: string[] = [];
      for (const it of chunk) {
        const p = values.length;
        values.push(timeOrderedId(), it.key, it.workspaceId, it.payload);
        rows.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $1, 'pending', 0)`);
      }
      const { rows: inserted } = await pgPrepared<{ key: string }>(
        database,
        `inbox-record-${chunk.length}`,
        `INSERT INTO "ProcessedEvent" ("id", "key", "workspaceId", "payload", "receivedAt", "status", "attempts")
         VALUES ${rows.join(", ")}
         ON CONFLICT ("key") DO NOTHING
         RETURNING "key"`,
        values,
      );
      for (const r of inserted) fresh.add(r.key);
    }
  } else {
    for (let i = 0; i < items.length; i += ROWS) {
      const chunk = items.slice(i, i + ROWS);
      const params: unknown[] = [];
      const rows: string[] = [];
      for (const it of chunk) {
        // receivedAt is bound like Prisma binds dates: SQLite compares them as text, so every row
        // must have the same format (a column DEFAULT would write another one).
        params.push(timeOrderedId(), it.key, it.workspaceId, it.payload, now);
        rows.push("(?, ?, ?, ?, ?, 'pending', 0)");
      }
      const inserted = await database.db.$queryRawUnsafe<Array<{ key: string }>>(
        `INSERT INTO "ProcessedEvent" ("id", "key", "workspaceId", "payload", "receivedAt", "status", "attempts")
       VALUES ${rows.join(", ")}
       ON CONFLICT ("key") DO NOTHING
       RETURNING "key"`,
        ...params,
      );
      for (const r of inserted) fresh.add(r.key);
    }
  }
  // A key twice in one call: only its first occurrence is new.
  return items.map((it) => fresh.delete(it.key));
}

/** finishEvent(key, { ok: true }) for many keys: done, payload dropped (message text is never kept). */
export async function finishEvents(database: Database, keys: readonly string[]): Promise<void> {
  const now = new Date();
  if (database.provider === "postgresql") {
    await pgPrepared(
      database,
      "inbox-finish",
      `UPDATE "ProcessedEvent" SET "status" = 'done', "payload" = NULL, "processedAt" = $1, "error" = NULL
       WHERE "key" = ANY($2::text[])`,
      [pgTimestamp(now), keys],
    );
    return;
  }
  for (let i = 0; i < keys.length; i += ROWS) {
    const chunk = keys.slice(i, i + ROWS);
    await database.db.$executeRawUnsafe(
      `UPDATE "ProcessedEvent" SET "status" = 'done', "payload" = NULL, "processedAt" = ?, "error" = NULL
       WHERE "key" IN (${chunk.map(() => "?").join(", ")})`,
      now,
      ...chunk,
    );
  }
}
