// The durable inbox, platform-neutral: one inbound contract for every adapter (hubot's `receive`).
//
//   receive(key, …, handler): persist the delivery first (a key seen before is a redelivery:
//     dropped), run the handler, mark it done, or failed (the attempt is counted);
//   replay(olderThan, run): deliveries persisted but never finished (a failure, or a process that
//     died mid-way) are taken one at a time with a compare-and-set claim, so of several replicas
//     exactly one runs each, and handed back to the adapter; the store gives up after its attempt
//     limit (the same for every platform: pendingEvents).
//
// Keys are "<platform>:…": each adapter replays only its own (a Slack replica must not judge a
// Teams payload, and the reverse). Slack's inbox (platforms/slack/inbox.ts) predates this module
// and keeps its own coalesced writes on the same store methods: its ingestion path batches the
// INSERT and UPDATE of concurrent events, which this simple one-at-a-time contract does not.
import type { EventStore } from "../core/ports.ts";

/** The two log calls the inbox makes (src/log.ts's Logger fits; src/app doesn't import it). */
export interface InboxLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type Received = "done" | "failed" | "duplicate";

export interface PendingDelivery {
  key: string;
  payload: string;
  /** Attempts before this replay (claimEvent counted this one). */
  attempts: number;
}

export class Inbox {
  constructor(
    private readonly store: EventStore,
    private readonly log: InboxLog,
    /** The platform's key prefix, e.g. "teams:". */
    private readonly prefix: string,
  ) {}

  key(id: string): string {
    return `${this.prefix}${id}`;
  }

  /**
   * Persists `payload` under `key`, then runs `handler` once. Never throws for the handler's sake:
   * a failure is stored and replayed later. A failing write to the inbox itself does throw, so the
   * caller can refuse the delivery and let the platform send it again.
   */
  async receive(
    key: string,
    workspaceId: string | null,
    payload: string,
    handler: () => Promise<void>,
  ): Promise<Received> {
    if (!(await this.store.recordEvent(key, workspaceId, payload))) {
      this.log.info("duplicate delivery ignored", { key });
      return "duplicate";
    }
    return this.finishAfter(key, handler, false);
  }

  /** Replays this platform's unfinished deliveries older than `olderThan`, oldest first. */
  async replay(
    olderThan: Date,
    run: (delivery: PendingDelivery) => Promise<void>,
    limit = 100,
  ): Promise<number> {
    const pending = await this.store.pendingEvents(olderThan, limit, this.prefix);
    let replayed = 0;
    for (const e of pending) {
      // Another replica may be replaying the same batch right now: only the claim's winner runs it.
      if (!(await this.store.claimEvent(e.key, e.attempts))) continue;
      replayed++;
      await this.finishAfter(e.key, () => run(e), true);
    }
    if (replayed) this.log.info("replayed pending deliveries", { prefix: this.prefix, count: replayed });
    return replayed;
  }

  private async finishAfter(key: string, run: () => Promise<void>, counted: boolean): Promise<Received> {
    try {
      await run();
    } catch (err) {
      this.log.error("processing failed; it will be replayed", { key, err });
      await this.store
        .finishEvent(key, { ok: false, error: err instanceof Error ? err.message : String(err), counted })
        .catch((e: unknown) => this.log.error("could not record a failed delivery", { key, err: e }));
      return "failed";
    }
    // Done also drops the payload: message text is kept only while it may be needed again.
    await this.store.finishEvent(key, { ok: true });
    return "done";
  }
}
