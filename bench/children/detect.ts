// Detection throughput on the sample's message texts, in its own process.
//   node --import tsx bench/children/detect.ts <export-dir> <runs>
// Each run passes over every text once with the name tagger and once without it (interleaved,
// so drift in machine load hits both alike). One untimed pass first loads the model and warms the JIT.
import { detect, mayContainName } from "../../src/core/detect/index.ts";
import { maskMarkup } from "../../src/core/detect/patterns.ts";
import { classifyMessage, messageText, openSlackExport } from "../../src/import/slack-export.ts";
import { emitResult } from "../lib/child.ts";

async function texts(dir: string): Promise<string[]> {
  const reader = await openSlackExport(dir);
  const out: string[] = [];
  try {
    for await (const ev of reader.messages()) {
      if (ev.type === "message" && classifyMessage(ev.message) === "message")
        out.push(messageText(ev.message) ?? "");
    }
  } finally {
    await reader.close();
  }
  return out;
}

function pass(corpus: readonly string[], names: boolean): { seconds: number; found: number } {
  let found = 0;
  const started = performance.now();
  for (const t of corpus) found += detect(t, { names }).length;
  return { seconds: (performance.now() - started) / 1000, found };
}

async function main(): Promise<void> {
  const [dir, runsArg] = process.argv.slice(2);
  if (!dir) throw new Error("usage: detect.ts <export-dir> <runs>");
  const runs = Number(runsArg ?? 5);
  const corpus = await texts(dir);
  const loadStarted = performance.now();
  detect("Lunch with Jane Doe?");
  const modelLoadSeconds = (performance.now() - loadStarted) / 1000;
  pass(corpus, true);
  const withNames: number[] = [];
  const withoutNames: number[] = [];
  let found = { withNames: 0, withoutNames: 0 };
  for (let r = 0; r < runs; r++) {
    const a = pass(corpus, true);
    const b = pass(corpus, false);
    withNames.push(corpus.length / a.seconds);
    withoutNames.push(corpus.length / b.seconds);
    found = { withNames: a.found, withoutNames: b.found };
  }
  // The pre-filter in detect(): text without a capitalized word never reaches the name tagger.
  const expensive = corpus.filter((t) => mayContainName(maskMarkup(t))).length;
  emitResult({
    messages: corpus.length,
    withNames,
    withoutNames,
    expensiveShare: expensive / corpus.length,
    detectionsPerMessage: {
      withNames: found.withNames / corpus.length,
      withoutNames: found.withoutNames / corpus.length,
    },
    modelLoadSeconds,
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
