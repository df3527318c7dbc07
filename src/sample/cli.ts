// npx tsx src/sample/cli.ts <outDir> [--messages N] [--members N] [--contacts N] [--channels N]
//                                     [--days N] [--start YYYY-MM-DD] [--seed N] [--force]
// Prints the SampleSummary as JSON on stdout.
import { parseArgs } from "node:util";
import { SAMPLE_ARGS, sampleOptionsFrom } from "./args.ts";
import { generateSampleExport } from "./generate.ts";

const USAGE =
  "usage: tsx src/sample/cli.ts <outDir> [--messages N] [--members N] [--contacts N] [--channels N] " +
  "[--days N] [--start YYYY-MM-DD] [--seed N] [--force]";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      ...SAMPLE_ARGS,
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
  const began = performance.now();
  const summary = await generateSampleExport(outDir, {
    ...sampleOptionsFrom(values),
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
