/** Loads the committed model file next to this code, once, synchronously, on first use. */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { PerceptronModel } from "./perceptron.ts";

export const MODEL_URL = new URL("./model.json.gz", import.meta.url);

let cached: PerceptronModel | null = null;

/** The model file's JSON, for a model loaded with its feature strings (to compare, save, average). */
export function readModelJson(): string {
  return gunzipSync(readFileSync(MODEL_URL)).toString("utf8");
}

/** The model the detector uses: only what tagging reads (see PerceptronModel.deserialize). */
export function loadModel(): PerceptronModel {
  if (!cached) cached = PerceptronModel.deserialize(readModelJson(), { forDetection: true });
  return cached;
}
