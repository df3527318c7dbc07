import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Data flows one way: platform → app (use cases) → core (pure policy) → ports. The core imports
// nothing outside itself and no platform or database package; the application layer reaches the
// world only through ports, never a platform adapter or the store. A source scan keeps it so.

const SRC = join(import.meta.dirname, "../../src");
const PACKAGES = /^(?:@slack\/|botbuilder|@prisma\/|pg$|better-sqlite3|node-cron)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(e.name) ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)) if (m[1]) out.push(m[1]);
  return out;
}

/** Imports of files under src/`layer` that leave what the layer may use. */
function offenders(layer: string, allowedDirs: string[]): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(join(SRC, layer))) {
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      const where = `src/${relative(SRC, file)} imports ${spec}`;
      if (spec.startsWith(".")) {
        const target = relative(SRC, resolve(dirname(file), spec))
          .split("\\")
          .join("/");
        if (!allowedDirs.some((d) => target.startsWith(`${d}/`))) found.push(where);
      } else if (PACKAGES.test(spec)) found.push(where);
    }
  }
  return found;
}

describe("layering", () => {
  it("finds imports across a layer boundary (so the scans below can fail)", () => {
    expect(specifiers('import { x } from "../app/plan-lunch.ts";\nexport * from "./y.ts";')).toEqual([
      "../app/plan-lunch.ts",
      "./y.ts",
    ]);
    expect(specifiers('const m = await import("@slack/bolt");')).toEqual(["@slack/bolt"]);
  });

  it("src/core imports only src/core and no platform or database package", () => {
    expect(offenders("core", ["core"])).toEqual([]);
  });

  it("src/app imports only src/app and src/core, and no platform or database package", () => {
    expect(offenders("app", ["app", "core"])).toEqual([]);
  });
});
