// Cuts every JSON string in a byte stream to at most MAX_JSON_STRING_BYTES, before a JSON parser
// sees it. An export can hold one message of hundreds of MB (a 206 KB zip inflated to a 200 MB
// message ran the import past 1 GB): a streaming parser still builds each string whole. Detection
// reads only MAX_DETECTION_TEXT units of a message anyway, so nothing is lost by keeping less:
// the cut keeps more than that (see below), the tracker still sees the text as over the cap, and
// the import reports the message as truncated.
import { Transform, type TransformCallback } from "node:stream";
import { MAX_DETECTION_TEXT } from "../core/detect/limit.ts";

/**
 * Bytes of a JSON string's content kept. At most 6 bytes make one UTF-16 unit (`\u0041`), so a cut
 * string still holds more than MAX_DETECTION_TEXT units, and is counted as truncated downstream.
 */
export const MAX_JSON_STRING_BYTES = 1024 * 1024;
if (MAX_JSON_STRING_BYTES / 6 <= MAX_DETECTION_TEXT) throw new Error("MAX_JSON_STRING_BYTES is too small");

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LOWER_U = 0x75;

/** A UTF-8 continuation byte: the cut never lands before one (it would split a character). */
function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/**
 * A Transform over the bytes of a JSON document that leaves everything as it is except the content
 * of strings longer than `maxBytes`, which is cut there (never inside an escape or a character).
 * Linear: outside long strings it only looks for quotes and backslashes (Buffer.indexOf).
 * Malformed JSON goes through as it is, for the parser to report. With `lineDelimited` (JSON lines),
 * a raw newline, which no JSON string may hold, ends whatever string was open: an unclosed quote
 * on one line does not swallow the next lines.
 */
export class LongStringCutter extends Transform {
  /** Strings cut so far. */
  cut = 0;
  private inString = false;
  /** Bytes of the current escape still to come: 1 after "\", 4 after "\u". */
  private escapeLeft = 0;
  /** Bytes of the current string's content passed on so far. */
  private length = 0;
  /** Past the cut: dropping the string's bytes until its closing quote. */
  private dropping = false;
  /** The cut fell at the end of a chunk, maybe inside a character: its last bytes come next. */
  private finishingChar = false;

  constructor(
    private readonly maxBytes = MAX_JSON_STRING_BYTES,
    private readonly lineDelimited = false,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const out = this.cutStrings(chunk);
    callback(null, out.length > 0 ? out : undefined);
  }

  private cutStrings(chunk: Buffer): Buffer {
    const n = chunk.length;
    const kept: Buffer[] = [];
    // Start of the kept run in progress, or -1 while dropping.
    let keptFrom = this.dropping ? -1 : 0;
    // The next quote and backslash at or after i, or n. Cached: searching again from each escape
    // or string would read the same bytes again and again (quadratic).
    const next = { [QUOTE]: -1, [BACKSLASH]: -1, [NEWLINE]: this.lineDelimited ? -1 : n };
    const nextOf = (byte: typeof QUOTE | typeof BACKSLASH | typeof NEWLINE, from: number): number => {
      if (next[byte] < from) {
        const at = chunk.indexOf(byte, from);
        next[byte] = at < 0 ? n : at;
      }
      return next[byte];
    };
    let i = 0;
    if (this.finishingChar) {
      while (i < n && isContinuation(chunk[i])) i++;
      if (i > 0) kept.push(chunk.subarray(0, i));
      this.finishingChar = i === n;
    }
    while (i < n) {
      if (!this.inString) {
        const q = nextOf(QUOTE, i);
        if (q >= n) break;
        this.inString = true;
        this.length = 0;
        this.escapeLeft = 0;
        i = q + 1;
      } else if (this.escapeLeft > 0) {
        // Inside an escape: one byte at a time ("\"" and "\\" must not end or start anything).
        if (!this.dropping) this.length++;
        this.escapeLeft = this.escapeLeft === 1 && chunk[i] === LOWER_U ? 4 : this.escapeLeft - 1;
        i++;
      } else {
        const special = Math.min(nextOf(QUOTE, i), nextOf(BACKSLASH, i), nextOf(NEWLINE, i));
        if (!this.dropping && this.length + (special - i) > this.maxBytes) {
          let cutAt = i + Math.max(0, this.maxBytes - this.length);
          while (cutAt < special && isContinuation(chunk[cutAt])) cutAt++;
          this.finishingChar = cutAt === n;
          kept.push(chunk.subarray(keptFrom, cutAt));
          keptFrom = -1;
          this.dropping = true;
          this.cut++;
          i = cutAt;
          continue;
        }
        if (!this.dropping) this.length += special - i;
        i = special;
        if (i >= n) break;
        if (chunk[i] === QUOTE || chunk[i] === NEWLINE) {
          this.inString = false;
          if (this.dropping) {
            this.dropping = false;
            keptFrom = i;
          }
        } else {
          this.escapeLeft = 1;
          if (!this.dropping) this.length++;
        }
        i++;
      }
    }
    if (keptFrom === 0 && kept.length === 0) return chunk;
    if (keptFrom >= 0) kept.push(chunk.subarray(keptFrom));
    return kept.length === 1 ? (kept[0] as Buffer) : Buffer.concat(kept);
  }
}
