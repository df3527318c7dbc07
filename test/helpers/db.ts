import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { type Database, openDatabase, type Provider } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { PrismaStore } from "../../src/store/prisma-store.ts";

/** PostgreSQL server used by the tests: the one every machine of this project runs. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** The databases every storage-touching test runs on. TEST_DATABASES=sqlite narrows it locally. */
export const PROVIDERS: Provider[] = (process.env.TEST_DATABASES ?? "sqlite,postgresql")
  .split(",")
  .map((p) => p.trim())
  .filter((p): p is Provider => p === "sqlite" || p === "postgresql");

export interface TestDatabase {
  url: string;
  provider: Provider;
  drop(): Promise<void>;
}

/** A fresh, empty, uniquely named database (no migrations applied). */
export async function createEmptyDatabase(provider: Provider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "tio-test-"));
    return {
      url: `file:${join(dir, "test.db")}`,
      provider,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `tio_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return { url, provider, drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
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

export interface TestStore {
  url: string;
  provider: Provider;
  database: Database;
  store: PrismaStore;
  cleanup(): Promise<void>;
}

/** A migrated database with a store on it. */
export async function createTestStore(provider: Provider): Promise<TestStore> {
  const empty = await createEmptyDatabase(provider);
  await migrate(empty.url);
  const database = await openDatabase(empty.url);
  return {
    url: empty.url,
    provider,
    database,
    store: new PrismaStore(database),
    cleanup: async () => {
      await database.close();
      await empty.drop();
    },
  };
}
