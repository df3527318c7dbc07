import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type BetterSqlite3 from "better-sqlite3";
import type Pg from "pg";
import { type Provider, providerOf, sqlitePath } from "./db.ts";

// Applies prisma/<provider>/migrations in order and records them in Prisma's own
// _prisma_migrations table (same columns, sha256 checksums), so `prisma migrate status/deploy`
// agree with us on a machine that has Prisma's native engine. We can't use that engine here.

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

const defaultDir = fileURLToPath(new URL("../../prisma/", import.meta.url));

export function loadMigrations(provider: Provider, prismaDir = defaultDir): Migration[] {
  const dir = join(prismaDir, provider, "migrations");
  if (!existsSync(dir)) throw new MigrationError(`No migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const PG_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it only has to be the same in every replica.
const PG_LOCK_KEY = 7_246_613_001;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** Decides what to apply; refuses edited or unknown-but-finished history. */
export function planMigrations(migrations: Migration[], applied: AppliedRow[]): Migration[] {
  const done = new Map(
    applied
      .filter((r) => r.finished_at != null && r.rolled_back_at == null)
      .map((r) => [r.migration_name, r]),
  );
  for (const m of migrations) {
    const row = done.get(m.name);
    if (row && row.checksum !== m.checksum) {
      throw new MigrationError(
        `Migration ${m.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… on disk). Restore the file and add a new migration instead.`,
      );
    }
  }
  const failed = applied.find((r) => r.finished_at == null && r.rolled_back_at == null);
  if (failed) {
    throw new MigrationError(
      `Migration ${failed.migration_name} started but never finished; fix the database by hand.`,
    );
  }
  return migrations.filter((m) => !done.has(m.name));
}

export async function migrate(
  url: string,
  migrations = loadMigrations(providerOf(url)),
): Promise<MigrateResult> {
  // Each kind loads only its own driver.
  if (providerOf(url) === "postgresql") return migratePostgres((await import("pg")).default, url, migrations);
  return migrateSqlite((await import("better-sqlite3")).default, url, migrations);
}

function migrateSqlite(Sqlite: typeof BetterSqlite3, url: string, migrations: Migration[]): MigrateResult {
  const path = sqlitePath(url);
  // The default database lives under ./data, which a fresh checkout doesn't have yet.
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const conn = new Sqlite(path, { timeout: 30_000 });
  try {
    conn.pragma("journal_mode = WAL");
    // BEGIN IMMEDIATE takes the write lock up front, so a second process starting at the same
    // time waits here and then finds the migrations already recorded.
    const run = conn.transaction(() => {
      conn.exec(SQLITE_TABLE);
      const applied = conn.prepare(`SELECT * FROM "_prisma_migrations"`).all() as AppliedRow[];
      const pending = planMigrations(migrations, applied);
      for (const m of pending) {
        const started = new Date().toISOString();
        conn.exec(m.sql);
        conn
          .prepare(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
          )
          .run(randomUUID(), m.checksum, new Date().toISOString(), m.name, started);
      }
      return {
        applied: pending.map((m) => m.name),
        alreadyApplied: migrations.filter((m) => !pending.includes(m)).map((m) => m.name),
      };
    });
    return run.immediate();
  } finally {
    conn.close();
  }
}

async function migratePostgres(pg: typeof Pg, url: string, migrations: Migration[]): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Session-level advisory lock: concurrent replicas queue here instead of racing DDL.
    await client.query("SELECT pg_advisory_lock($1)", [PG_LOCK_KEY]);
    try {
      await client.query(PG_TABLE);
      const { rows } = await client.query<AppliedRow>(`SELECT * FROM "_prisma_migrations"`);
      const pending = planMigrations(migrations, rows);
      for (const m of pending) {
        const started = new Date();
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)`,
            [randomUUID(), m.checksum, m.name, started],
          );
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw new MigrationError(`Migration ${m.name} failed: ${(err as Error).message}`);
        }
      }
      return {
        applied: pending.map((m) => m.name),
        alreadyApplied: migrations.filter((m) => !pending.includes(m)).map((m) => m.name),
      };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PG_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
