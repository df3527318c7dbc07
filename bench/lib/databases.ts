import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Provider } from "../../src/store/db.ts";

// Fresh, empty databases for one benchmark run: a SQLite file in a temp folder, or a uniquely
// named PostgreSQL database on the local server (BENCH_PG_URL, default the test server).

export const PG_ADMIN_URL =
  process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  provider: Provider;
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(provider: Provider, label: string): Promise<BenchDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), `tio-bench-${label}-`));
    return {
      provider,
      url: `file:${join(dir, "bench.db")}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `tio_bench_${label}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    provider,
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Whether the PostgreSQL server answers; the bench skips PostgreSQL rows (and says so) when not. */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await adminQuery("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
