// The sample-size command-line options, shared by the sample generator's CLI (cli.ts) and the
// benchmarks' load generator (bench/load/generate.ts), so both read the same flags the same way.
import type { SampleOptions } from "./generate.ts";

/** parseArgs options for the sample's size and shape. */
export const SAMPLE_ARGS = {
  messages: { type: "string" },
  members: { type: "string" },
  contacts: { type: "string" },
  channels: { type: "string" },
  days: { type: "string" },
  start: { type: "string" },
  seed: { type: "string" },
} as const;

type SampleArgValues = { [K in keyof typeof SAMPLE_ARGS]?: string };

/** An integer flag's value; a malformed one throws a RangeError naming the flag. */
export function intArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new RangeError(`--${name} must be an integer, got "${value}"`);
  return Number(value);
}

/** The parsed flags as SampleOptions; a malformed value throws a RangeError naming the flag. */
export function sampleOptionsFrom(values: SampleArgValues): SampleOptions {
  let start: Date | undefined;
  if (values.start !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.start)) throw new RangeError("--start must look like 2026-08-13");
    start = new Date(`${values.start}T00:00:00Z`);
  }
  return {
    seed: intArg("seed", values.seed),
    members: intArg("members", values.members),
    externalPeople: intArg("contacts", values.contacts),
    messages: intArg("messages", values.messages),
    channels: intArg("channels", values.channels),
    days: intArg("days", values.days),
    start,
  };
}
