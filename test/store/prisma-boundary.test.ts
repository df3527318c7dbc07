import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Only src/store talks to Prisma (and src/devtools, which makes scratch databases for tests and
// benchmarks). Everything else gets a port from src/core/ports.ts. A source scan keeps it that way.

const SRC = join(import.meta.dirname, "../../src");
const ALLOWED = ["store/", "devtools/"];

const RULES: Array<{ what: string; pattern: RegExp }> = [
  { what: "imports @prisma/*", pattern: /(?:from|import\(|require\()\s*["']@prisma\// },
  { what: "imports the generated Prisma client", pattern: /["'][^"']*store\/generated\b[^"']*["']/ },
  {
    what: "imports the Prisma client type Db",
    pattern: /import[^;]*\bDb\b[^;]*from\s*["'][^"']*store\/db(?:\.ts)?["']/,
  },
  { what: "reaches into the raw client (.database.db)", pattern: /\.database\.db\b/ },
  { what: "calls a Prisma delegate (.db.<model> / .db.$…)", pattern: /\.db\.\$?[A-Za-z_]/ },
];

/** What in `source` breaks the boundary, one entry per rule and line. */
function violations(source: string): string[] {
  const found: string[] = [];
  for (const [i, line] of source.split("\n").entries())
    for (const rule of RULES) if (rule.pattern.test(line)) found.push(`${i + 1}: ${rule.what}`);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

describe("the Prisma boundary", () => {
  it("recognises each way of reaching Prisma (so the scan below can fail)", () => {
    expect(violations('import { PrismaPg } from "@prisma/adapter-pg";')).toHaveLength(1);
    expect(violations('const { PrismaClient } = await import("@prisma/client");')).toHaveLength(1);
    expect(violations('import { PrismaClient } from "../store/generated/sqlite/client.ts";')).toHaveLength(1);
    expect(violations('import type { Db } from "../../store/db.ts";')).toHaveLength(1);
    expect(violations("const n = await app.database.db.mention.count();")).toHaveLength(2);
    expect(violations("await this.db.channel.upsert({ where });")).toHaveLength(1);
    expect(violations('await db.$queryRawUnsafe("SELECT 1");')).toHaveLength(0);
    expect(violations('await this.db.$queryRawUnsafe("SELECT 1");')).toHaveLength(1);
    // Not Prisma: the store's ports and other names that merely contain "db".
    expect(violations('import { type Database, openDatabase } from "./store/db.ts";')).toEqual([]);
    expect(violations('const url = join(dir, "test.db");')).toEqual([]);
    expect(violations("await app.store.ping();")).toEqual([]);
  });

  it("no file under src/ outside src/store (and src/devtools) reaches Prisma", () => {
    const offenders: string[] = [];
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const rel = relative(SRC, file).split("\\").join("/");
      if (ALLOWED.some((dir) => rel.startsWith(dir))) continue;
      for (const v of violations(readFileSync(file, "utf8"))) offenders.push(`src/${rel}:${v}`);
    }
    expect(offenders).toEqual([]);
  });
});
