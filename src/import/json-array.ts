// Reads a file holding one JSON array, in chunks of elements. Small files are parsed in one go
// (JSON.parse is ~15x faster than a streaming parser, and a typical Slack day file is a few KB);
// files above the limit go through stream-json's StreamArray, so memory stays bounded whatever
// the file size: each string in them is cut at MAX_JSON_STRING_BYTES first (see long-strings.ts).
import { pipeline, type Readable } from "node:stream";
import Parser from "stream-json/Parser.js";
import StreamArray from "stream-json/streamers/StreamArray.js";
import { LongStringCutter } from "./long-strings.ts";

/** Files up to this size are parsed whole. */
export const DEFAULT_BUFFER_LIMIT_BYTES = 8 * 1024 * 1024;

/** The file as a whole can't be read as a JSON array. The message is plain words for a report. */
export class JsonFileError extends Error {
  override name = "JsonFileError";
}

export interface JsonArrayOptions {
  /** Size of the file in bytes, as listed by the file system or the zip directory. */
  sizeBytes: number;
  bufferLimitBytes?: number;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readAll(source: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of source) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  } catch (error) {
    throw new JsonFileError(`could not read the file: ${reason(error)}`);
  }
  return Buffer.concat(chunks);
}

async function* parseWhole(source: Readable): AsyncGenerator<unknown[], void, undefined> {
  const bytes = await readAll(source);
  // A UTF-8 byte order mark is legal in files but not in JSON.parse.
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new JsonFileError("the file is empty");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new JsonFileError(`broken JSON: ${reason(error)}`);
  }
  if (!Array.isArray(parsed)) {
    throw new JsonFileError(`expected a JSON array at the top level, found ${kindOf(parsed)}`);
  }
  if (parsed.length > 0) yield parsed;
}

/** Elements per chunk of a streamed file: bounded memory, and one hand-over per chunk, not per element. */
const STREAM_CHUNK = 500;

async function* parseStreaming(source: Readable): AsyncGenerator<unknown[], void, undefined> {
  // Packed values only: no per-chunk string tokens, which roughly halves the parser's work.
  const elements = pipeline(
    source,
    new LongStringCutter(),
    new Parser({ streamValues: false }),
    new StreamArray(),
    () => {
      // Errors surface through the async iterator below; pipeline needs a callback to clean up.
    },
  );
  let count = 0;
  let chunk: unknown[] = [];
  try {
    for await (const item of elements as AsyncIterable<{ key: number; value: unknown }>) {
      count++;
      chunk.push(item.value);
      if (chunk.length >= STREAM_CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
  } catch (error) {
    // What was read before the error is still handed over, then the error.
    if (chunk.length > 0) yield chunk;
    const message = reason(error);
    if (message.startsWith("Top-level object should be an array")) {
      throw new JsonFileError("expected a JSON array at the top level");
    }
    if (message.startsWith("Parser")) {
      const where = count === 0 ? "at the start" : `after ${count} element${count === 1 ? "" : "s"}`;
      throw new JsonFileError(`broken JSON ${where}: ${message.replace(/^Parser (has )?/, "")}`);
    }
    throw new JsonFileError(`could not read the file: ${message}`);
  } finally {
    // Stops reading (and closes the file or zip entry) when the consumer leaves early.
    elements.destroy();
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Yields the elements of the top-level JSON array in the file `open` gives, in order, in chunks (a
 * whole small file at once). The file is opened on the first read and closed when the loop ends,
 * however it ends. Throws JsonFileError when the file is unreadable, not JSON, or not an array;
 * elements read before a late syntax error have already been yielded by then.
 */
export async function* readJsonArray(
  open: () => Promise<Readable>,
  options: JsonArrayOptions,
): AsyncGenerator<unknown[], void, undefined> {
  const limit = options.bufferLimitBytes ?? DEFAULT_BUFFER_LIMIT_BYTES;
  let source: Readable;
  try {
    source = await open();
  } catch (error) {
    throw new JsonFileError(`could not open the file: ${reason(error)}`);
  }
  try {
    yield* options.sizeBytes <= limit ? parseWhole(source) : parseStreaming(source);
  } finally {
    source.destroy();
  }
}
