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

/**
 * The OAuth installer logs every refused callback (no code, a state that isn't this browser's, a
 * cancelled install) at error level before our failure callback runs. Anyone can send those, and
 * the failure callback (index.ts) already logs each as a warning, so they go to debug.
 */
function isOAuthRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code.startsWith("slack_oauth_");
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
    error: (...parts: unknown[]) =>
      (isOAuthRefusal(parts.find((p) => p instanceof Error)) ? emit(log.debug) : emit(log.error))(...parts),
    setLevel(l: LogLevel) {
      current = l;
    },
    getLevel: () => current,
    setName(n: string) {
      name = n;
    },
  };
}
