import { randomUUID } from "node:crypto";
import type { Database } from "./db.ts";

// The durable inbox's writes for many events at once. Each event is one INSERT before its ack and
// one UPDATE after processing; under load those round trips are most of an event's cost, so the
// inbox can coalesce concurrent deliveries (core/coalescer.ts) into these single statements.

const ROWS = 500;

export interface EventRecord {
  key: string;
  workspaceId: string | null;
  payload: string;
}

function ph(provider: Database["provider"], n: number): string {
  return provider === "postgresql" ? `$${n}` : "?";
}

/** recordEvent for many events: true for each key stored now, false for a key seen before (or earlier in `items`). */
export async function recordEvents(database: Database, items: readonly EventRecord[]): Promise<boolean[]> {
  const fresh = new Set<string>();
  const now = new Date();
  for (let i = 0; i < items.length; i += ROWS) {
    const chunk = items.slice(i, i + ROWS);
    const params: unknown[] = [];
    const rows: string[] = [];
    for (const it of chunk) {
      const b = params.length;
      // receivedAt is bound like Prisma binds dates: SQLite compares them as text, so every row
      // must have the same format (a column DEFAULT would write another one).
      params.push(randomUUID(), it.key, it.workspaceId, it.payload, now);
      rows.push(`(${[1, 2, 3, 4, 5].map((k) => ph(database.provider, b + k)).join(", ")}, 'pending', 0)`);
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
  // A key twice in one call: only its first occurrence is new.
  return items.map((it) => fresh.delete(it.key));
}

/** finishEvent(key, { ok: true }) for many keys: done, payload dropped (message text is never kept). */
export async function finishEvents(database: Database, keys: readonly string[]): Promise<void> {
  const now = new Date();
  for (let i = 0; i < keys.length; i += ROWS) {
    const chunk = keys.slice(i, i + ROWS);
    await database.db.$executeRawUnsafe(
      `UPDATE "ProcessedEvent" SET "status" = 'done', "payload" = NULL, "processedAt" = ${ph(database.provider, 1)}, "error" = NULL
       WHERE "key" IN (${chunk.map((_, k) => ph(database.provider, k + 2)).join(", ")})`,
      now,
      ...chunk,
    );
  }
}
