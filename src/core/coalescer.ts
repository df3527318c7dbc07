// Turns concurrent single calls into batch calls, without waiting on a timer: calls made in the
// same turn of the event loop (say, the requests whose bytes arrived together) go out together
// once that turn's I/O callbacks are done (setImmediate), and calls that arrive while a flush is
// running queue up for the next one. A lone call waits microseconds; under load, N concurrent calls
// cost one batch instead of N.

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export class Coalescer<I, O> {
  private queue: Array<Waiting<I, O>> = [];
  private flushing = false;

  constructor(
    /** Must return one result per item, in order. */
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 100,
  ) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.flushing) return;
      this.flushing = true;
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
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
