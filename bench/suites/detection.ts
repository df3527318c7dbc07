import { type BenchConfig, TARGETS } from "../config.ts";
import { childScript, runChild } from "../lib/child.ts";
import { type BenchRow, metric } from "../lib/report.ts";
import { ensureExport } from "../lib/sample.ts";

interface DetectResult {
  messages: number;
  withNames: number[];
  withoutNames: number[];
  expensiveShare: number;
  detectionsPerMessage: { withNames: number; withoutNames: number };
  modelLoadSeconds: number;
  peakRssMb: number;
}

export async function detectionSuite(config: BenchConfig, log: (line: string) => void): Promise<BenchRow[]> {
  const sample = await ensureExport({ messages: config.detection.messages });
  log(
    `detection: ${config.detection.runs} runs over the texts of a ${config.detection.messages}-message sample`,
  );
  const r = await runChild<DetectResult>(
    childScript("detect.ts"),
    [sample.dir, String(config.detection.runs)],
    {
      timeoutMs: 600_000,
    },
  );
  const ratio = r.withNames.map((v, i) => (r.withoutNames[i] ?? Number.NaN) / v);
  return [
    {
      benchmark: "detection",
      subject: "detect()",
      params: { messages: r.messages, runs: config.detection.runs, source: "sample export texts" },
      metrics: [
        metric("messages/s with names", "msg/s", r.withNames, { atLeast: TARGETS.detectionPerSecond }),
        metric("messages/s without names (names: false)", "msg/s", r.withoutNames),
        metric("names off vs on (same run)", "×", ratio, { digits: 1 }),
        metric("share reaching the name tagger", "%", [r.expensiveShare * 100], { digits: 1 }),
        metric("model load", "s", [r.modelLoadSeconds], { digits: 2 }),
      ],
      notes: [
        `${r.detectionsPerMessage.withNames.toFixed(2)} detections per message with names, ` +
          `${r.detectionsPerMessage.withoutNames.toFixed(2)} without; peak RSS ${Math.round(r.peakRssMb)} MB`,
      ],
    },
  ];
}
