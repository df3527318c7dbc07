import { SingleBar } from "cli-progress";

// A progress bar on a terminal; silence when output is piped (CI logs, scripts).

export interface Progress {
  update(done: number, total: number, payload?: { messages: number }): void;
  stop(): void;
}

export function startProgress(label: string, stream: NodeJS.WriteStream): Progress {
  if (!stream.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {messages} messages | {eta_formatted} left`,
    stream,
    hideCursor: true,
  });
  let started = false;
  return {
    update(done, total, payload) {
      if (!started) {
        bar.start(Math.max(total, 1), 0, { messages: 0 });
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(done, { messages: payload?.messages ?? 0 });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
