/** Loads the committed model file next to this code, once, synchronously, on first use. */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { PerceptronModel } from "./perceptron.ts";

export const MODEL_URL = new URL("./model.json.gz", import.meta.url);

let cached: PerceptronModel | null = null;

export function loadModel(): PerceptronModel {
  if (!cached) cached = PerceptronModel.deserialize(gunzipSync(readFileSync(MODEL_URL)).toString("utf8"));
  return cached;
}
