import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Provider } from "../store/db.ts";

// Throwaway databases for the tests and the benchmarks: a SQLite file in a temp folder, or a
// uniquely named database on a PostgreSQL server. Empty: the caller decides about migrations.

export interface ScratchDatabase {
  provider: Provider;
  url: string;
  /** Deletes the file or drops the database (closing other sessions on it). */
  drop(): Promise<void>;
}

/** `label` goes into the folder or database name, to tell leftovers apart ("test", "bench-import"). */
export async function createScratchDatabase(
  provider: Provider,
  label: string,
  adminUrl: string,
): Promise<ScratchDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), `tio-${label}-`));
    return {
      provider,
      url: `file:${join(dir, `${label}.db`)}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `tio_${label.replace(/\W/g, "_")}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  return {
    provider,
    url: adminUrl.replace(/\/[^/]*$/, `/${name}`),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** Whether the PostgreSQL server at `adminUrl` answers. */
export async function postgresAnswers(adminUrl: string): Promise<boolean> {
  try {
    await adminQuery(adminUrl, "SELECT 1");
    return true;
  } catch {
    return false;
  }
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
