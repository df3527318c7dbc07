import type { EventStore } from "../../core/ports.ts";
import { byDate, type EventRow, type MemoryState } from "./state.ts";

const OPEN = new Set(["pending", "failed"]);
/** pendingEvents gives up on an event after this many attempts (as the SQL does). */
const MAX_ATTEMPTS = 5;

/** The durable inbox in memory: unique keys, compare-and-set claims. */
export class MemoryEventStore implements EventStore {
  constructor(private readonly s: MemoryState) {}

  async recordEvent(key: string, workspaceId: string | null, payload: string): Promise<boolean> {
    const [fresh] = await this.recordEvents([{ key, workspaceId, payload }]);
    return fresh === true;
  }

  async recordEvents(
    items: Array<{ key: string; workspaceId: string | null; payload: string }>,
  ): Promise<boolean[]> {
    const now = this.s.now();
    // A key seen before, or earlier in `items`, is not new.
    return items.map((it) => {
      if (this.s.events.has(it.key)) return false;
      this.s.events.set(it.key, {
        key: it.key,
        workspaceId: it.workspaceId,
        payload: it.payload,
        status: "pending",
        attempts: 0,
        error: null,
        receivedAt: new Date(now),
        processedAt: null,
      });
      return true;
    });
  }

  async finishEvent(
    key: string,
    outcome: { ok: true } | { ok: false; error: string; counted?: boolean },
  ): Promise<void> {
    const row = this.s.events.get(key);
    if (!row) return;
    if (outcome.ok) {
      this.done(row);
      return;
    }
    row.status = "failed";
    row.error = outcome.error.slice(0, 1000);
    if (!outcome.counted) row.attempts++;
  }

  async finishEvents(keys: string[]): Promise<void> {
    for (const k of keys) {
      const row = this.s.events.get(k);
      if (row) this.done(row);
    }
  }

  /** Done: the payload goes (message text is never kept). */
  private done(row: EventRow): void {
    row.status = "done";
    row.payload = null;
    row.processedAt = this.s.now();
    row.error = null;
  }

  async pendingEvents(
    olderThan: Date,
    limit: number,
    keyPrefix?: string,
  ): Promise<Array<{ key: string; payload: string; attempts: number }>> {
    return [...this.s.events.values()]
      .filter(
        (e) =>
          OPEN.has(e.status) &&
          e.receivedAt < olderThan &&
          e.attempts < MAX_ATTEMPTS &&
          e.payload !== null &&
          (!keyPrefix || e.key.startsWith(keyPrefix)),
      )
      .sort(byDate((e) => e.receivedAt))
      .slice(0, limit)
      .map((e) => ({ key: e.key, payload: e.payload ?? "", attempts: e.attempts }));
  }

  async claimEvent(key: string, attempts: number): Promise<boolean> {
    // Compare-and-set on the attempt counter: of replicas that read the same count, one wins.
    const row = this.s.events.get(key);
    if (!row || row.attempts !== attempts || !OPEN.has(row.status)) return false;
    row.attempts++;
    row.receivedAt = this.s.now();
    return true;
  }

  async pruneEvents(before: Date): Promise<number> {
    let n = 0;
    for (const [k, e] of this.s.events)
      if (e.receivedAt < before) {
        this.s.events.delete(k);
        n++;
      }
    return n;
  }

  async countEvents(status?: "pending" | "done" | "failed"): Promise<number> {
    let n = 0;
    for (const e of this.s.events.values()) if (!status || e.status === status) n++;
    return n;
  }
}
