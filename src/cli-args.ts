import { type ParseArgsConfig, parseArgs } from "node:util";
import { z } from "zod";

// Command-line arguments of the subcommands: node's parseArgs for the syntax, zod for the values,
// and one plain line (exit code 2) for anything wrong, never a stack trace.

/** A command line that can't be run as given. The message is one line for the person typing it. */
export class UsageError extends Error {
  override name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs, with its errors ("Unknown option '--x'…") turned into one-line UsageErrors. */
export function parseFlags<O extends Options>(args: string[], options: O, positionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Node appends advice meant for script authors ("To specify a positional argument…").
    throw new UsageError(message.split(/\.\s|\n/)[0]?.replace(/\.$/, "") ?? message);
  }
}

/** `schema.parse(value)`, failing with the first problem as a UsageError. */
export function validated<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const flag = issue?.path.length ? `--${issue.path.join(".")}` : "";
  throw new UsageError(`${flag ? `${flag}: ` : ""}${issue?.message ?? "invalid arguments"}`);
}

/** YYYY-MM-DD, a real calendar day, as the UTC midnight that starts it. */
export const IsoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD, e.g. 2025-01-31")
  .transform((value, ctx) => {
    const at = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value) {
      ctx.addIssue({ code: "custom", message: `${value} is not a calendar date` });
      return z.NEVER;
    }
    return at;
  });

/** Runs a command body, printing a UsageError as one line plus the usage, with exit code 2. */
export async function withUsage(usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${usage}`);
    return 2;
  }
}
