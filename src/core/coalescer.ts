// Turns concurrent single calls into batch calls: calls made in the same turn of the event loop
// (say, the requests whose bytes arrived together) go out together once that turn's I/O callbacks
// are done (setImmediate), and calls that arrive while a flush is running queue up for the next
// one. Under load, N concurrent calls cost one batch instead of N. Work nobody waits for (writes
// after the ack) may also linger a few milliseconds to gather a bigger batch, before every batch.

export interface CoalescerOptions {
  /** Items per flush (default 100); a full batch goes out without waiting for the linger. */
  maxBatch?: number;
  /**
   * How long a batch that isn't full waits for company (default 0: the end of this turn, and the
   * calls that arrived during a flush go out right after it).
   */
  lingerMs?: number;
}

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export class Coalescer<I, O> {
  private queue: Array<Waiting<I, O>> = [];
  private flushing = false;
  /** Ends the drain's wait for company early (set only while it waits). */
  private wake: (() => void) | null = null;
  private readonly maxBatch: number;
  private readonly lingerMs: number;

  constructor(
    /** Must return one result per item, in order. */
    private readonly flush: (items: I[]) => Promise<O[]>,
    options: CoalescerOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 100;
    this.lingerMs = options.lingerMs ?? 0;
  }

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.wake?.();
      if (this.flushing) return;
      this.flushing = true;
      if (this.lingerMs > 0) void this.drain();
      else setImmediate(() => void this.drain());
    });
  }

  /** Sleeps up to lingerMs; a batch filling up meanwhile cuts it short (run). */
  private wait(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), this.lingerMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // Lingering work waits for company before every batch, not just the first: under load the
        // queue refills while a batch is written, and without the wait each batch would be only
        // what arrived during the last write, paying a batch's fixed statements for a handful.
        if (this.lingerMs > 0 && this.queue.length < this.maxBatch) await this.wait();
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const out = await this.flush(batch.map((w) => w.item));
          for (const [i, w] of batch.entries()) w.resolve(out[i] as O);
        } catch (err) {
          if (batch.length === 1) {
            batch[0]?.reject(err);
            continue;
          }
          // One bad item must not fail its neighbours: retry them one by one.
          for (const w of batch) {
            try {
              const [one] = await this.flush([w.item]);
              w.resolve(one as O);
            } catch (e) {
              w.reject(e);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
