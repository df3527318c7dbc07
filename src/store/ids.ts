import { randomUUID } from "node:crypto";

// Ids of the rows written in bulk (mentions, inbox events) are UUIDv7 (RFC 9562): the time comes
// first, so the rows one batch writes land together at the end of the primary-key index instead of
// each on a random page of it. With random (v4) ids every new mention dirtied a page of its own,
// which the commit then wrote and the next checkpoint copied: on SQLite that was a fifth of an
// import's write time.

let lastMs = 0;
let sequence = 0;

/**
 * A UUIDv7, increasing within this process: ids made in the same millisecond count up in the
 * 12 bits after the version (RFC 9562 §6.2, method 1); past 4,096 of them, or when the clock steps
 * back, the time is carried forward from the last id instead.
 */
export function timeOrderedId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    lastMs++;
    sequence = 0;
  }
  const time = lastMs.toString(16).padStart(12, "0");
  // The random tail (variant bits included) is a v4 UUID's last 62 bits: Node draws it from a
  // cached entropy pool, far cheaper than asking for 8 random bytes per id.
  const tail = randomUUID().slice(19);
  return `${time.slice(0, 8)}-${time.slice(8)}-7${sequence.toString(16).padStart(3, "0")}-${tail}`;
}
