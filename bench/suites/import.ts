import { IMPORT_MAX_OLD_SPACE_MB } from "../../src/cli.ts";
import type { Provider } from "../../src/store/db.ts";
import { type BenchConfig, BIG_COMPANY, TARGETS } from "../config.ts";
import { childScript, runChild } from "../lib/child.ts";
import { freshDatabase } from "../lib/databases.ts";
import { type BenchRow, metric } from "../lib/report.ts";
import { ensureExport } from "../lib/sample.ts";

interface ImportResult {
  seconds: number;
  cpuSeconds: number;
  messages: number;
  messagesPerSecond: number;
  mentionsAdded: number;
  mentions: number;
  contacts: number;
  peakRssMb: number;
  second: { seconds: number; mentionsAdded: number; mentionsRemoved: number; unchanged: boolean } | null;
}

async function importOnce(provider: Provider, dir: string, flags: string[]): Promise<ImportResult> {
  const db = await freshDatabase(provider, "import");
  try {
    return await runChild<ImportResult>(childScript("import.ts"), [db.url, dir, ...flags], {
      timeoutMs: 1_800_000,
      // The heap cap `take-it-offline import` runs with (src/cli.ts).
      nodeFlags: [`--max-old-space-size=${IMPORT_MAX_OLD_SPACE_MB}`],
    });
  } finally {
    await db.drop();
  }
}

export async function importSuite(
  config: BenchConfig,
  providers: Provider[],
  log: (line: string) => void,
): Promise<BenchRow[]> {
  const c = config.import;
  const big = await ensureExport({ ...BIG_COMPANY, messages: c.messages });
  if (big.generatedSeconds > 0)
    log(`import: generated a ${c.messages}-message export in ${big.generatedSeconds.toFixed(0)} s`);
  const small = await ensureExport({ ...BIG_COMPANY, messages: c.compare.messages });
  const rows: BenchRow[] = [];
  for (const provider of providers) {
    const runs: ImportResult[] = [];
    for (let i = 0; i < c.runs; i++) {
      // The first run also imports a second time: that pass must change nothing.
      const r = await importOnce(provider, big.dir, i === 0 && config.mode === "quick" ? ["--twice"] : []);
      log(
        `import ${provider} run ${i + 1}/${c.runs}: ${Math.round(r.messagesPerSecond)} msg/s, ${Math.round(r.peakRssMb)} MB`,
      );
      runs.push(r);
    }
    const twice = runs[0]?.second;
    rows.push({
      benchmark: `import ${c.messages.toLocaleString("en-US")} messages`,
      subject: provider,
      params: { messages: runs[0]?.messages, export: big.dir, runs: c.runs, ...BIG_COMPANY },
      metrics: [
        metric(
          "messages/s",
          "msg/s",
          runs.map((r) => r.messagesPerSecond),
          { atLeast: TARGETS.importPerSecond },
        ),
        metric(
          "wall time",
          "s",
          runs.map((r) => r.seconds),
          { digits: 1 },
        ),
        metric(
          "peak RSS",
          "MB",
          runs.map((r) => r.peakRssMb),
          { below: TARGETS.importPeakRssMb },
        ),
        metric(
          "CPU time per 1,000 messages",
          "ms",
          runs.map((r) => (r.cpuSeconds / r.messages) * 1e6),
          { digits: 1 },
        ),
      ],
      notes: [
        `${runs[0]?.mentions} mentions of ${runs[0]?.contacts} contacts`,
        ...(twice
          ? [
              `second import: +${twice.mentionsAdded} −${twice.mentionsRemoved} mentions, ` +
                `${twice.unchanged ? "row counts unchanged" : "ROW COUNTS CHANGED"} (${twice.seconds.toFixed(1)} s)`,
            ]
          : []),
      ],
    });

    // Before/after, side by side on the same smaller export.
    const before: number[] = [];
    const after: number[] = [];
    for (let i = 0; i < c.compare.runs; i++) {
      before.push((await importOnce(provider, small.dir, ["--per-message"])).messagesPerSecond);
      after.push((await importOnce(provider, small.dir, [])).messagesPerSecond);
    }
    log(
      `import ${provider} before/after on ${c.compare.messages} messages: ${Math.round(before[0] ?? 0)} → ${Math.round(after[0] ?? 0)} msg/s`,
    );
    rows.push({
      benchmark: `import ${c.compare.messages.toLocaleString("en-US")} messages, before vs after batching`,
      subject: provider,
      params: { messages: c.compare.messages, runs: c.compare.runs },
      metrics: [
        metric("per-message importer (before)", "msg/s", before),
        metric("batched importer (after)", "msg/s", after),
        metric(
          "after vs before (same run)",
          "×",
          after.map((a, i) => a / (before[i] ?? Number.NaN)),
          { digits: 1 },
        ),
      ],
    });
  }
  return rows;
}
