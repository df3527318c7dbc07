import type { EventStore } from "../../core/ports.ts";
import { finishEvents, recordEvents } from "../bulk-events.ts";
import type { Database, Db } from "../db.ts";

/** The durable inbox on Prisma; the hot writes are the single statements of bulk-events.ts. */
export class PrismaEventStore implements EventStore {
  private readonly db: Db;

  constructor(private readonly database: Database) {
    this.db = database.db;
  }

  async recordEvent(key: string, workspaceId: string | null, payload: string): Promise<boolean> {
    const [fresh] = await recordEvents(this.database, [{ key, workspaceId, payload }]);
    return fresh === true;
  }

  async recordEvents(
    items: Array<{ key: string; workspaceId: string | null; payload: string }>,
  ): Promise<boolean[]> {
    return recordEvents(this.database, items);
  }

  async finishEvents(keys: string[]): Promise<void> {
    await finishEvents(this.database, keys);
  }

  async finishEvent(
    key: string,
    outcome: { ok: true } | { ok: false; error: string; counted?: boolean },
  ): Promise<void> {
    await this.db.processedEvent.updateMany({
      where: { key },
      data: outcome.ok
        ? { status: "done", payload: null, processedAt: new Date(), error: null }
        : {
            status: "failed",
            error: outcome.error.slice(0, 1000),
            ...(outcome.counted ? {} : { attempts: { increment: 1 } }),
          },
    });
  }

  async claimEvent(key: string, attempts: number): Promise<boolean> {
    // Compare-and-set on the attempt counter: the first UPDATE wins, a concurrent one matches no row.
    // receivedAt moves to now, so no replica takes the event for stuck again while it is replayed.
    const { count } = await this.db.processedEvent.updateMany({
      where: { key, attempts, status: { in: ["pending", "failed"] } },
      data: { attempts: { increment: 1 }, receivedAt: new Date() },
    });
    return count === 1;
  }

  async pendingEvents(
    olderThan: Date,
    limit: number,
    keyPrefix?: string,
  ): Promise<Array<{ key: string; payload: string; attempts: number }>> {
    const rows = await this.db.processedEvent.findMany({
      where: {
        ...(keyPrefix ? { key: { startsWith: keyPrefix } } : {}),
        status: { in: ["pending", "failed"] },
        receivedAt: { lt: olderThan },
        attempts: { lt: 5 },
        payload: { not: null },
      },
      orderBy: { receivedAt: "asc" },
      take: limit,
    });
    return rows.map((r) => ({ key: r.key, payload: r.payload ?? "", attempts: r.attempts }));
  }

  async pruneEvents(before: Date): Promise<number> {
    return (await this.db.processedEvent.deleteMany({ where: { receivedAt: { lt: before } } })).count;
  }

  async countEvents(status?: "pending" | "done" | "failed"): Promise<number> {
    return this.db.processedEvent.count(status ? { where: { status } } : undefined);
  }
}
