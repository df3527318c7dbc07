import type { IncomingMessage, ServerResponse } from "node:http";

// Request bodies at the HTTP edge: every endpoint reads at most MAX_BODY_BYTES, and a body over the
// limit is answered with 413 without being kept in memory.

/**
 * The largest body any endpoint reads. Slack events and interaction payloads and Bot Framework
 * activities are a few kilobytes; a 40,000-character Slack message with its blocks stays well
 * under this even when every character is escaped.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * How much of a refused body is read (and dropped) before the connection is cut. Reading the rest
 * lets an ordinary client see the 413 instead of a reset; the cap keeps an endless upload from
 * holding the connection.
 */
const DISCARD_CAP_BYTES = 8 * MAX_BODY_BYTES;

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

/** The Content-Length the client declared, or null (chunked, absent or garbled). */
export function declaredLength(req: IncomingMessage): number | null {
  const raw = req.headers["content-length"];
  if (typeof raw !== "string" || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

/**
 * The whole body, or BodyTooLarge as soon as it passes `limit` (declared or counted). On
 * BodyTooLarge the stream is left paused and unread: answer with refuseBody().
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.pause();
        chunks.length = 0;
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * Answers a request whose body won't be read (too large, or refused before reading) and closes the
 * connection afterwards. What is still arriving is dropped as it comes, up to a cap.
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DISCARD_CAP_BYTES) req.destroy();
  });
  req.on("error", () => {});
  req.resume();
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", connection: "close" });
  res.end(JSON.stringify(body));
}

/** Whether a parsed JSON value nests deeper than `max` (checked without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop() as { v: unknown; depth: number };
    if (typeof v !== "object" || v === null) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, depth: depth + 1 });
  }
  return false;
}
