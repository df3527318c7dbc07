// The synthetic load generator: the sample company scaled up, as a Slack export on disk plus the
// stream of signed Events API deliveries for its messages (JSON lines of {headers, body}).
//
//   npx tsx bench/load/generate.ts <outDir> [--messages N] [--members N] [--contacts N]
//        [--channels N] [--days N] [--start YYYY-MM-DD] [--seed N] [--secret S] [--events N]
//
// Writes <outDir>/export/ (a Slack export, see src/sample) and <outDir>/events.jsonl. The events
// are signed with --secret at generation time; bench/children/load-driver.ts signs them again at
// send time, because Slack apps refuse timestamps older than five minutes.
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import { intArg, SAMPLE_ARGS, sampleOptionsFrom } from "../../src/sample/args.ts";
import { generateSampleExport, type SampleOptions } from "../../src/sample/index.ts";
import { exportEvents } from "./events.ts";

export interface LoadSet {
  exportDir: string;
  eventsFile: string;
  events: number;
  teamId: string;
  users: number;
}

/** Writes the events of an existing export; returns how many. */
export async function writeEvents(
  exportDir: string,
  eventsFile: string,
  secret: string,
  limit?: number,
): Promise<{ events: number; teamId: string; users: number }> {
  const out = createWriteStream(eventsFile);
  let events = 0;
  let teamId = "";
  let users = 0;
  for await (const e of exportEvents(exportDir, secret, {
    ...(limit !== undefined ? { limit } : {}),
    source: (s) => {
      teamId = s.teamId;
      users = s.users.length;
    },
  })) {
    if (!out.write(`${JSON.stringify(e)}\n`)) await new Promise<void>((r) => out.once("drain", () => r()));
    events++;
  }
  out.end();
  await finished(out);
  return { events, teamId, users };
}

export async function generateLoad(
  outDir: string,
  sample: SampleOptions,
  secret: string,
  eventLimit?: number,
): Promise<LoadSet> {
  mkdirSync(outDir, { recursive: true });
  const exportDir = join(outDir, "export");
  await generateSampleExport(exportDir, { ...sample, overwrite: true });
  const eventsFile = join(outDir, "events.jsonl");
  const r = await writeEvents(exportDir, eventsFile, secret, eventLimit);
  return { exportDir, eventsFile, ...r };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      ...SAMPLE_ARGS,
      secret: { type: "string" },
      events: { type: "string" },
    },
  });
  const outDir = positionals[0];
  if (!outDir) throw new Error("usage: tsx bench/load/generate.ts <outDir> [--messages N] [--secret S] …");
  const sample = sampleOptionsFrom(values);
  const started = performance.now();
  const set = await generateLoad(
    outDir,
    { ...sample, seed: sample.seed ?? 7, messages: sample.messages ?? 30_000 },
    values.secret ?? "bench-signing-secret",
    intArg("events", values.events),
  );
  console.log(JSON.stringify(set, null, 2));
  console.error(`wrote ${set.events} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
