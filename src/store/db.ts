import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type pg from "pg";
import type { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";

export type Provider = "sqlite" | "postgresql";

/**
 * Both generated clients come from the same prisma/models.prisma, so their model delegates have
 * the same shape; the rest of the store is written once against this type.
 */
export type Db = SqliteClient;

export interface Database {
  db: Db;
  provider: Provider;
  url: string;
  /**
   * PostgreSQL only: the connection pool under Prisma, for the few statements hot enough that
   * Prisma's handling of their parameters and rows costs more than the database does (see pgPoolOf).
   */
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

/**
 * The pool under Prisma, for the hot statements that go straight through pg: the batched mention
 * write (7 ms of CPU per 1,000 messages through Prisma, 3 ms through pg) and the event inbox's
 * INSERT and UPDATE (0.6–0.9 ms of CPU per statement through Prisma, 0.2–0.3 ms through pg).
 */
export function pgPoolOf(database: Database): pg.Pool {
  if (!database.pgPool)
    throw new Error("a PostgreSQL database without its connection pool (openDatabase sets it)");
  return database.pgPool;
}

/**
 * A hot statement straight through pg, as a named prepared statement: each pooled connection parses
 * and plans it once, then only binds and executes it. Measured on the inbox's INSERT: 0.42–0.53 →
 * 0.29–0.34 ms of PostgreSQL CPU per statement. A name must always go with the same text.
 */
export function pgPrepared<R extends pg.QueryResultRow = pg.QueryResultRow>(
  database: Database,
  name: string,
  text: string,
  values: unknown[],
): Promise<pg.QueryResult<R>> {
  return pgPoolOf(database).query<R>({ name, text, values });
}

/** A Date as a TIMESTAMP(3) column holds it: UTC without a zone, as Prisma writes it. */
export function pgTimestamp(at: Date): string {
  return at.toISOString().replace("T", " ").replace("Z", "");
}

export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";
}

/** Filesystem path of a file: URL (relative paths resolve against the working directory). */
export function sqlitePath(url: string): string {
  const path = url.replace(/^file:/, "").replace(/\?.*$/, "");
  return path === ":memory:" ? path : resolve(path);
}

/**
 * Each kind of database loads only its own driver, adapter and generated client (await import):
 * the other kind's took ~0.3 s of every start of the server and the CLI.
 */
export async function openDatabase(url: string): Promise<Database> {
  if (providerOf(url) === "postgresql") {
    const [{ default: pg }, { PrismaPg }, { PrismaClient: PgClient }] = await Promise.all([
      import("pg"),
      import("@prisma/adapter-pg"),
      import("./generated/postgresql/client.ts"),
    ]);
    const pgPool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection that breaks (a database restart) is dropped by the pool and replaced on
    // the next query. Its "error" event must have a listener even before Prisma adds its own on
    // connecting, or it would crash the process.
    pgPool.on("error", () => {});
    const db = new PgClient({ adapter: new PrismaPg(pgPool) }) as unknown as Db;
    const close = async () => {
      await db.$disconnect();
      // Prisma leaves a pool it was given open.
      if (!pgPool.ended) await pgPool.end();
    };
    return { db, provider: "postgresql", url, pgPool, close };
  }
  const [{ PrismaBetterSqlite3 }, { PrismaClient: SqliteClient }] = await Promise.all([
    import("@prisma/adapter-better-sqlite3"),
    import("./generated/sqlite/client.ts"),
  ]);
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  // A generous busy timeout: several processes (replicas, the CLI) may write the same file.
  const db = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: path, timeout: 15_000 }) });
  // WAL lets readers proceed while one writer writes; it is a property of the file, set once.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  return { db, provider: "sqlite", url, close: () => db.$disconnect() };
}
