import type { Logger } from "./log.ts";

// Work that continues after an HTTP response (Slack wants its ack in under 3 s). Tracked so a
// graceful shutdown can wait for it, and so one failing task is logged instead of crashing the process.

export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly log: Logger) {}

  run(name: string, task: () => Promise<unknown>): void {
    const p = task()
      .catch((err: unknown) => this.log.error("background task failed", { task: name, err }))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when all tasks started so far (and any they start) have finished, or after timeoutMs. */
  async drain(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.running]),
        new Promise((r) => {
          timer = setTimeout(r, left);
        }),
      ]);
      // A pending timeout would keep the process alive for the rest of `timeoutMs` after a drain.
      clearTimeout(timer);
    }
    return true;
  }
}
