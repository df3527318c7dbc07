// The durable inbox, platform-neutral: one inbound contract for every adapter (hubot's `receive`).
//
//   receive(key, …, handler): persist the delivery first (a key seen before is a redelivery:
//     dropped), run the handler, mark it done, or failed (the attempt is counted). For platforms
//     that answer when the handler is done (Teams' turn).
//   accept(key, …) then settle(key, handler): the same in two steps, for platforms that must answer
//     before the work runs (Slack's 3-second ack): accept before the answer, settle in the background.
//   replay(olderThan, run): deliveries persisted but never finished (a failure, or a process that
//     died mid-way) are taken one at a time with a compare-and-set claim, so of several replicas
//     exactly one runs each, and handed back to the adapter; the store gives up after its attempt
//     limit (the same for every platform: pendingEvents).
//   once(key, …, run): at most one run per key across copies and replicas, for interactions whose
//     copies can race (a click, a form submission); no payload is kept.
//
// Writes are coalesced: the INSERTs of deliveries arriving together share one statement (the ack
// waits for it, never longer than the current turn of the event loop), and the "done" marks of
// work finished after the ack gather for a moment and share one UPDATE. Under load a burst costs a
// handful of round-trips, not two per delivery; ingestion throughput depends on it.
//
// Keys are "<platform>:…": each adapter replays only its own (a Slack replica must not judge a
// Teams payload, and the reverse).
import { Coalescer } from "../core/coalescer.ts";
import type { EventStore } from "../core/ports.ts";

/** The log calls the inbox makes (src/log.ts's Logger fits; src/app doesn't import it). */
export interface InboxLog {
  debug(msg: string, fields?: Record<string, unknown>): void;
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

interface Delivery {
  key: string;
  workspaceId: string | null;
  payload: string;
}

export class Inbox {
  private readonly records: Coalescer<Delivery, boolean>;
  private readonly finishes: Coalescer<string, void>;

  constructor(
    private readonly store: EventStore,
    private readonly log: InboxLog,
    /** The platform's key prefix, e.g. "teams:". */
    private readonly prefix: string,
  ) {
    this.records = new Coalescer((items: Delivery[]) => store.recordEvents(items));
    // Nobody waits for "done" after an ack: a crash before it is written only means the
    // (idempotent) handler runs again on replay. So it gathers for a moment.
    this.finishes = new Coalescer(
      async (keys: string[]) => {
        await store.finishEvents(keys);
        return keys.map(() => undefined);
      },
      { lingerMs: 50, maxBatch: 500 },
    );
  }

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
    if (!(await this.accept(key, workspaceId, payload))) return "duplicate";
    return this.finishAfter(key, handler, "now");
  }

  /**
   * Persists a delivery before the platform is answered; false for a key seen before (a retry or
   * a copy: answer it and drop it). Throws when the write fails, so the platform delivers again.
   */
  async accept(key: string, workspaceId: string | null, payload: string): Promise<boolean> {
    const fresh = await this.records.run({ key, workspaceId, payload });
    if (!fresh) this.log.debug("duplicate delivery ignored", { key });
    return fresh;
  }

  /** Runs the work of an accepted delivery (after the answer) and marks it done or failed. */
  settle(key: string, handler: () => Promise<void>): Promise<Received> {
    return this.finishAfter(key, handler, "coalesced");
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
      await this.finishAfter(e.key, () => run(e), "counted");
    }
    if (replayed) this.log.info("replayed pending deliveries", { prefix: this.prefix, count: replayed });
    return replayed;
  }

  /**
   * Runs `run` once per key across copies and replicas: the key is recorded first (no payload), and
   * a key seen before means a redelivery, which is dropped. The key is marked done either way: an
   * interaction is answered once, never replayed.
   */
  async once(
    key: string,
    workspaceId: string | null,
    run: () => Promise<void>,
  ): Promise<"ran" | "duplicate"> {
    if (!(await this.store.recordEvent(key, workspaceId, ""))) {
      this.log.debug("duplicate interaction dropped", { key });
      return "duplicate";
    }
    try {
      await run();
    } finally {
      await this.store.finishEvents([key]);
    }
    return "ran";
  }

  private async finishAfter(
    key: string,
    run: () => Promise<void>,
    /** "counted": a replay (claimEvent counted the attempt); "coalesced": "done" may linger. */
    mode: "now" | "coalesced" | "counted",
  ): Promise<Received> {
    try {
      await run();
    } catch (err) {
      this.log.error("processing failed; it will be replayed", { key, err });
      await this.store
        .finishEvent(key, {
          ok: false,
          error: err instanceof Error ? err.message : String(err),
          counted: mode === "counted",
        })
        .catch((e: unknown) => this.log.error("could not record a failed delivery", { key, err: e }));
      return "failed";
    }
    // Done also drops the payload: message text is kept only while it may be needed again.
    if (mode === "coalesced") await this.finishes.run(key);
    else await this.store.finishEvents([key]);
    return "done";
  }
}
