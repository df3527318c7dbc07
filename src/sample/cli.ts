// npx tsx src/sample/cli.ts <outDir> [--messages N] [--members N] [--contacts N] [--channels N]
//                                     [--days N] [--start YYYY-MM-DD] [--seed N] [--force]
// Prints the SampleSummary as JSON on stdout.
import { parseArgs } from "node:util";
import { generateSampleExport } from "./generate.ts";

const USAGE =
  "usage: tsx src/sample/cli.ts <outDir> [--messages N] [--members N] [--contacts N] [--channels N] " +
  "[--days N] [--start YYYY-MM-DD] [--seed N] [--force]";

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new RangeError(`--${name} must be an integer, got "${value}"`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      messages: { type: "string" },
      members: { type: "string" },
      contacts: { type: "string" },
      channels: { type: "string" },
      days: { type: "string" },
      start: { type: "string" },
      seed: { type: "string" },
      force: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const outDir = positionals[0];
  if (values.help || !outDir || positionals.length > 1) {
    console.error(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  let start: Date | undefined;
  if (values.start !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.start)) throw new RangeError("--start must look like 2026-08-13");
    start = new Date(`${values.start}T00:00:00Z`);
  }
  const began = performance.now();
  const summary = await generateSampleExport(outDir, {
    seed: int("seed", values.seed),
    members: int("members", values.members),
    externalPeople: int("contacts", values.contacts),
    messages: int("messages", values.messages),
    channels: int("channels", values.channels),
    days: int("days", values.days),
    start,
    overwrite: values.force ?? false,
  });
  const seconds = (performance.now() - began) / 1000;
  console.log(JSON.stringify(summary, null, 2));
  console.error(
    `wrote ${summary.messages} messages in ${summary.files} files (${(summary.bytes / 1e6).toFixed(1)} MB) ` +
      `in ${seconds.toFixed(1)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
