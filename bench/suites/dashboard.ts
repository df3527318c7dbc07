import type { Provider } from "../../src/store/db.ts";
import { type BenchConfig, TARGETS } from "../config.ts";
import { childScript, runChild } from "../lib/child.ts";
import { freshDatabase } from "../lib/databases.ts";
import { type BenchRow, metric } from "../lib/report.ts";
import { seedDigestWorkspace } from "../lib/seed-digest.ts";

interface DashboardResult {
  seconds: number[];
  weeks: number;
  weeksMeasured: number;
  lastWeek: { met: number; total: number } | null;
  bytes: number;
}

/** As the digest benchmark: the workspace's year of mentions ends here. */
const NOW = new Date("2026-11-20T12:00:00Z");

/**
 * The dashboard's overview page (26 weeks of coverage, lunches, the most discussed) over HTTP from
 * the real server, on the digest benchmark's workspace (same sizes, same seeded rows).
 */
export async function dashboardSuite(
  config: BenchConfig,
  providers: Provider[],
  log: (line: string) => void,
): Promise<BenchRow[]> {
  const c = config.digest;
  const rows: BenchRow[] = [];
  for (const provider of providers) {
    const db = await freshDatabase(provider, "dashboard");
    try {
      const seed = await seedDigestWorkspace(db.url, provider, { ...c, now: NOW });
      log(`dashboard ${provider}: seeded ${c.mentions} mentions in ${seed.seconds.toFixed(0)} s`);
      const r = await runChild<DashboardResult>(
        childScript("dashboard.ts"),
        [db.url, seed.workspaceId, NOW.toISOString(), String(c.calls + 1)],
        { timeoutMs: 600_000 },
      );
      // The first request on the fresh database also computes and keeps the completed weeks'
      // coverage (CoverageWeek), as the first view after a change to the past does: apart.
      const [cold, ...warm] = r.seconds;
      rows.push({
        benchmark: `dashboard overview (${c.members} members, ${c.contacts} contacts, ${c.mentions.toLocaleString("en-US")} mentions)`,
        subject: provider,
        params: { ...c, now: NOW.toISOString(), seed },
        metrics: [
          metric("overview page over HTTP", "s", warm, {
            digits: 3,
            ...(provider === "postgresql" ? { below: TARGETS.dashboardPgSeconds } : {}),
          }),
          metric("first request (computes and keeps the past weeks)", "s", [cold ?? Number.NaN], {
            digits: 3,
          }),
        ],
        notes: [
          `${r.weeks} weeks charted, ${r.weeksMeasured} with contacts to measure; last week ${r.lastWeek ? `${r.lastWeek.met} of ${r.lastWeek.total} met` : "none"}; page ${r.bytes} bytes`,
        ],
      });
    } finally {
      await db.drop();
    }
  }
  return rows;
}
