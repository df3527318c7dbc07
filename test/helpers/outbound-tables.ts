// Every table of the schema, read from the database itself (not from a list in the test), so a
// table added later is covered by the deletion suite (test/adversarial/deletion.test.ts) without
// anyone remembering to add it.
import type { Database } from "../../src/store/db.ts";

export interface TableInfo {
  name: string;
  columns: string[];
}

export async function listTables(database: Database): Promise<TableInfo[]> {
  const db = database.db;
  const isPg = database.provider === "postgresql";
  const names = isPg
    ? await db.$queryRawUnsafe<Array<{ name: string }>>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
      )
    : await db.$queryRawUnsafe<Array<{ name: string }>>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      );
  const out: TableInfo[] = [];
  for (const { name } of names) {
    const cols = isPg
      ? await db.$queryRawUnsafe<Array<{ name: string }>>(
          "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
          name,
        )
      : await db.$queryRawUnsafe<Array<{ name: string }>>(`SELECT name FROM pragma_table_info('${name}')`);
    out.push({ name, columns: cols.map((c) => c.name) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Rows of `table` whose `column` is one of `values`. */
export async function countWhere(
  database: Database,
  table: string,
  column: string,
  values: readonly string[],
): Promise<number> {
  if (values.length === 0) return 0;
  const isPg = database.provider === "postgresql";
  const params = values.map((_, i) => (isPg ? `$${i + 1}` : "?")).join(", ");
  const rows = await database.db.$queryRawUnsafe<Array<{ n: number | bigint }>>(
    `SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" IN (${params})`,
    ...values,
  );
  return Number(rows[0]?.n ?? 0);
}

export async function countAll(database: Database, table: string): Promise<number> {
  const rows = await database.db.$queryRawUnsafe<Array<{ n: number | bigint }>>(
    `SELECT COUNT(*) AS n FROM "${table}"`,
  );
  return Number(rows[0]?.n ?? 0);
}
