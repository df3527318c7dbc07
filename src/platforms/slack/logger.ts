import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger, LogLevel as OurLevel } from "../../log.ts";

// Bolt, the WebClient and the Socket Mode client log through @slack/logger's interface; this
// routes them into our JSON logs so one process writes one log format.

const TO_BOLT: Record<OurLevel, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function message(parts: unknown[]): { msg: string; err?: unknown } {
  const err = parts.find((p) => p instanceof Error);
  const msg = parts
    .filter((p) => !(p instanceof Error))
    .map((p) => (typeof p === "string" ? p : JSON.stringify(p)))
    .join(" ");
  return err ? { msg: msg || (err as Error).message, err } : { msg };
}

export function boltLogger(log: Logger, level: OurLevel): BoltLogger {
  let current = TO_BOLT[level];
  let name = "slack";
  const emit =
    (fn: (msg: string, fields?: Record<string, unknown>) => void) =>
    (...parts: unknown[]) => {
      const { msg, err } = message(parts);
      fn(msg, { component: name, ...(err ? { err } : {}) });
    };
  return {
    debug: emit(log.debug),
    info: emit(log.info),
    warn: emit(log.warn),
    error: emit(log.error),
    setLevel(l: LogLevel) {
      current = l;
    },
    getLevel: () => current,
    setName(n: string) {
      name = n;
    },
  };
}
