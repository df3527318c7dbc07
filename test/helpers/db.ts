import { createScratchDatabase, type ScratchDatabase } from "../../src/devtools/scratch-database.ts";
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

export type TestDatabase = ScratchDatabase;

/** A fresh, empty, uniquely named database (no migrations applied). */
export function createEmptyDatabase(provider: Provider): Promise<TestDatabase> {
  return createScratchDatabase(provider, "test", PG_ADMIN_URL);
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
