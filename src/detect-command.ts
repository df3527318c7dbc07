import { z } from "zod";
import { LongStringCutter, MAX_JSON_STRING_BYTES } from "./import/long-strings.ts";

// `take-it-offline detect`: the detector as a filter, JSON lines in and out.

const DetectLine = z.object({ id: z.union([z.string(), z.number()]), text: z.string() });

/**
 * A line of `detect` input longer than this (after its strings were cut, see below) is skipped
 * with an error rather than read into memory.
 */
export const MAX_DETECT_LINE_BYTES = 64 * 1024 * 1024;

/**
 * `detect`: JSON lines in, JSON lines out. Each text is read up to MAX_DETECTION_TEXT units; a
 * longer one is answered for that part, with "truncated": true. Memory stays bounded whatever
 * comes in: strings are cut (LongStringCutter) before a line is put together, and a line still
 * longer than MAX_DETECT_LINE_BYTES is skipped.
 */
export async function runDetect(): Promise<number> {
  const { detect, isOverDetectionCap } = await import("./core/detect/index.ts");
  const input = process.stdin.pipe(new LongStringCutter(MAX_JSON_STRING_BYTES, true));
  let bad = 0;
  let lineNo = 0;
  for await (const line of boundedLines(input, MAX_DETECT_LINE_BYTES)) {
    lineNo++;
    if (line === null) {
      bad++;
      console.error(`line ${lineNo}: longer than ${MAX_DETECT_LINE_BYTES / 1024 / 1024} MB; skipped`);
      continue;
    }
    if (!line.trim()) continue;
    let parsed: z.infer<typeof DetectLine>;
    try {
      parsed = DetectLine.parse(JSON.parse(line));
    } catch (err) {
      bad++;
      const why =
        err instanceof z.ZodError ? 'expected {"id": string|number, "text": string}' : "not valid JSON";
      console.error(`line ${lineNo}: ${why}; skipped`);
      continue;
    }
    const contacts = detect(parsed.text).map(({ kind, text, start, end }) => ({ kind, text, start, end }));
    const truncated = isOverDetectionCap(parsed.text) ? { truncated: true } : {};
    process.stdout.write(`${JSON.stringify({ id: parsed.id, contacts, ...truncated })}\n`);
  }
  return bad > 0 ? 1 : 0;
}

/** The stream's lines (without "\n" or "\r\n"), as UTF-8; null for a line over `maxBytes`, which is not kept. */
export async function* boundedLines(
  input: AsyncIterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<string | null, void, undefined> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  const take = (): string | null => {
    const line = tooLong ? null : Buffer.concat(parts).toString("utf8").replace(/\r$/, "");
    parts = [];
    size = 0;
    tooLong = false;
    return line;
  };
  for await (const data of input) {
    const chunk = typeof data === "string" ? Buffer.from(data) : data;
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      if (!tooLong && size + (nl - from) <= maxBytes) parts.push(chunk.subarray(from, nl));
      else tooLong = true;
      yield take();
      from = nl + 1;
    }
    if (from < chunk.length && !tooLong) {
      size += chunk.length - from;
      if (size > maxBytes) {
        tooLong = true;
        parts = [];
      } else parts.push(chunk.subarray(from));
    }
  }
  if (size > 0 || tooLong) yield take();
}
