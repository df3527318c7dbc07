import {
  createScratchDatabase,
  postgresAnswers,
  type ScratchDatabase,
} from "../../src/devtools/scratch-database.ts";
import type { Provider } from "../../src/store/db.ts";

// Fresh, empty databases for one benchmark run: a SQLite file in a temp folder, or a uniquely
// named PostgreSQL database on the local server (BENCH_PG_URL, default the test server).

export const PG_ADMIN_URL =
  process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type BenchDatabase = ScratchDatabase;

export function freshDatabase(provider: Provider, label: string): Promise<BenchDatabase> {
  return createScratchDatabase(provider, `bench-${label}`, PG_ADMIN_URL);
}

/** Whether the PostgreSQL server answers; the bench skips PostgreSQL rows (and says so) when not. */
export function postgresAvailable(): Promise<boolean> {
  return postgresAnswers(PG_ADMIN_URL);
}
