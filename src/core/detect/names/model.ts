/** Loads the committed model file next to this code, once, synchronously, on first use. */
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { fromCompact, type ModelStamp, stampOf, toCompact } from "./compact.ts";
import { PerceptronModel } from "./perceptron.ts";

export const MODEL_URL = new URL("./model.json.gz", import.meta.url);
/** The compact form of MODEL_URL (compact.ts), written by the build beside the built code. */
export const COMPACT_MODEL_URL = new URL("./model.bin", import.meta.url);

let cached: PerceptronModel | null = null;

/** The model file's JSON, for a model loaded with its feature strings (to compare, save, average). */
export function readModelJson(): string {
  return gunzipSync(readFileSync(MODEL_URL)).toString("utf8");
}

/** The model the detector uses: only what tagging reads (see PerceptronModel.deserialize). */
export function loadModel(): PerceptronModel {
  cached ??= loadCompactModel() ?? PerceptronModel.deserialize(readModelJson(), { forDetection: true });
  return cached;
}

/** The model from COMPACT_MODEL_URL, or null when there is none or it was made from another model file. */
export function loadCompactModel(
  compact: URL = COMPACT_MODEL_URL,
  json: URL = MODEL_URL,
): PerceptronModel | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(compact);
  } catch {
    return null;
  }
  return fromCompact(bytes, modelStamp(json));
}

/** Writes the compact form of the model file `json` to `compact` (the build runs this). */
export function writeCompactModel(compact: URL = COMPACT_MODEL_URL, json: URL = MODEL_URL): void {
  const model = PerceptronModel.deserialize(gunzipSync(readFileSync(json)).toString("utf8"), {
    forDetection: true,
  });
  writeFileSync(compact, toCompact(model, modelStamp(json)));
}

/** Which model file `json` is, from its size and gzip trailer (8 bytes read, not the whole file). */
export function modelStamp(json: URL = MODEL_URL): ModelStamp {
  const fd = openSync(json, "r");
  try {
    const size = fstatSync(fd).size;
    const trailer = Buffer.alloc(8);
    readSync(fd, trailer, 0, 8, Math.max(0, size - 8));
    return stampOf(trailer, size);
  } finally {
    closeSync(fd);
  }
}
