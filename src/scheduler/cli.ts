import { openApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import { formatJobs, listJobs } from "./status.ts";

/** `take-it-offline jobs [--json]`: scheduled jobs with their last and next run. */
export async function runJobsCommand(args: string[]): Promise<number> {
  const json = args.includes("--json");
  const unknown = args.filter((a) => a !== "--json");
  if (unknown.length) {
    console.error(`Usage: take-it-offline jobs [--json]\nUnknown argument: ${unknown[0]}`);
    return 2;
  }
  const app = await openApp(loadConfig());
  try {
    const report = await listJobs(app);
    console.log(json ? JSON.stringify(report, null, 2) : formatJobs(report));
    return 0;
  } finally {
    await app.close();
  }
}
