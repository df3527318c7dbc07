import pg from "pg";
import { openDatabase } from "../src/store/db.ts";
const url = "postgresql://postgres@127.0.0.1:5432/test";
const d = await openDatabase(url);
const pool = new pg.Pool({ connectionString: url, max: 10 });
const big = Array.from({ length: 17 }, (_, i) => "x".repeat(500) + i);
async function time(label: string, f: () => Promise<unknown>, n = 2000) {
  for (let i = 0; i < 200; i++) await f();
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < n; i++) await f();
  const c = process.cpuUsage(c0); const t = performance.now() - t0;
  console.log(label, "cpu µs/q", ((c.user + c.system) / n).toFixed(0), "wall µs/q", ((t * 1000) / n).toFixed(0), "sys", (c.system / n).toFixed(0));
}
await time("prisma SELECT 1", () => d.db.$queryRawUnsafe("SELECT 1"));
await time("pg     SELECT 1", () => pool.query("SELECT 1"));
await time("prisma 17 params", () => d.db.$queryRawUnsafe(`SELECT ${big.map((_, i) => `$${i + 1}::text`).join(",")}`, ...big));
await time("pg     17 params", () => pool.query(`SELECT ${big.map((_, i) => `$${i + 1}::text`).join(",")}`, big));
// 16 concurrent
const conc = (f: () => Promise<unknown>) => () => Promise.all(Array.from({ length: 16 }, f));
await time("prisma SELECT 1 x16", conc(() => d.db.$queryRawUnsafe("SELECT 1")), 200);
await time("pg     SELECT 1 x16", conc(() => pool.query("SELECT 1")), 200);
await d.close(); await pool.end();
