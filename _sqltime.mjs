import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const Database = require("better-sqlite3");
const stats = new Map();
const origPrepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql) {
  const stmt = origPrepare.call(this, sql);
  const key = sql.replace(/\s+/g, " ").slice(0, 70);
  for (const m of ["run", "all", "get"]) {
    const orig = stmt[m];
    stmt[m] = function (...a) { const t = performance.now(); try { return orig.apply(this, a); } finally { const s = stats.get(key) ?? [0, 0]; s[0]++; s[1] += performance.now() - t; stats.set(key, s); } };
  }
  return stmt;
};
process.on("exit", () => { for (const [k, [n, t]] of [...stats].sort((a, b) => b[1][1] - a[1][1]).slice(0, 15)) process.stderr.write(`${t.toFixed(0).padStart(7)} ms ${String(n).padStart(7)}x ${k}\n`); });
