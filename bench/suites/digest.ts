import { isoWeek } from "../../src/core/time.ts";
import type { Provider } from "../../src/store/db.ts";
import { type BenchConfig, TARGETS } from "../config.ts";
import { childScript, runChild } from "../lib/child.ts";
import { freshDatabase } from "../lib/databases.ts";
import { type BenchRow, metric } from "../lib/report.ts";
import { seedDigestWorkspace } from "../lib/seed-digest.ts";

interface DigestResult {
  seconds: number[];
  peakRssMb: number;
  view: Record<string, unknown> | null;
}

/** The digest is built as of this instant, for the last full ISO week before it. */
const NOW = new Date("2026-11-20T12:00:00Z");

export async function digestSuite(
  config: BenchConfig,
  providers: Provider[],
  log: (line: string) => void,
): Promise<BenchRow[]> {
  const c = config.digest;
  const week = isoWeek(new Date(NOW.getTime() - 7 * 86_400_000), "UTC");
  const rows: BenchRow[] = [];
  for (const provider of providers) {
    const db = await freshDatabase(provider, "digest");
    try {
      const seed = await seedDigestWorkspace(db.url, provider, { ...c, now: NOW });
      log(`digest ${provider}: seeded ${c.mentions} mentions in ${seed.seconds.toFixed(0)} s`);
      const r = await runChild<DigestResult>(
        childScript("digest.ts"),
        [db.url, seed.workspaceId, week, NOW.toISOString(), String(c.calls + 1)],
        { timeoutMs: 600_000 },
      );
      // The first call pays for connecting the query engine and a cold database cache: reported apart.
      const [cold, ...warm] = r.seconds;
      const limit = provider === "postgresql" ? TARGETS.digestPgSeconds : TARGETS.digestSqliteSeconds;
      rows.push({
        benchmark: `digest (${c.members} members, ${c.contacts} contacts, ${c.mentions.toLocaleString("en-US")} mentions)`,
        subject: provider,
        params: { ...c, week, now: NOW.toISOString(), seed },
        metrics: [
          metric("digest build", "s", warm, { digits: 3, below: limit }),
          metric("first build in a new process", "s", [cold ?? Number.NaN], { digits: 3 }),
          metric("peak RSS", "MB", [r.peakRssMb]),
          metric("seeding (bulk SQL)", "s", [seed.seconds], { digits: 1 }),
        ],
        notes: [
          `digest lists ${String(r.view?.topContacts)} top contacts (+${String(r.view?.moreTopContacts)} more), ` +
            `${String(r.view?.lunchesHeld)} lunches held, ${String(r.view?.tookItOffline)} people who took it offline`,
        ],
      });
    } finally {
      await db.drop();
    }
  }
  return rows;
}
