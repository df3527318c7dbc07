import { parentPort } from "node:worker_threads";
import { type Detection, detect, TeammateDirectory } from "../core/detect/index.ts";
import type { DetectionInputs } from "../core/tracking.ts";

// Runs detect() off the main thread: the name tagger is most of an import's CPU time and the
// biggest part of a busy server's; on two cores it overlaps with parsing, acks and database writes.

export interface DetectRequest {
  id: number;
  texts: string[];
  /** Sent when they changed since the last request. */
  inputs?: DetectionInputs;
}

export type DetectResponse = { id: number; results: Detection[][] } | { id: number; error: string };

let options: { internalDomains: readonly string[]; teammates: TeammateDirectory } | null = null;

parentPort?.on("message", (req: DetectRequest) => {
  try {
    if (req.inputs) {
      options = {
        internalDomains: req.inputs.internalDomains,
        teammates: new TeammateDirectory(req.inputs.teammates, {
          name: req.inputs.workspaceName ?? "",
          internalDomains: req.inputs.internalDomains,
        }),
      };
    }
    if (!options) throw new Error("detection inputs missing");
    const opts = options;
    const results = req.texts.map((t) => (t ? detect(t, opts) : []));
    parentPort?.postMessage({ id: req.id, results } satisfies DetectResponse);
  } catch (err) {
    parentPort?.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
