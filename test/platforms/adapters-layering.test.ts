import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Adapters parse, render and send; what they read or write goes through a use case (src/app).
// So no file under src/platforms imports the store (src/store, Prisma, the database drivers),
// names a store port type, reaches for a `store` property or calls the tracker. A source scan
// keeps it so.

const SRC = join(import.meta.dirname, "../../src");
const PLATFORMS = join(SRC, "platforms");
const DATABASE_PACKAGES = /^(?:@prisma\/|pg$|better-sqlite3)/;
/** The store ports of core/ports.ts (Store, AppStore, EventStore, ChannelStore, …). */
const STORE_PORT = /^(?:\w+Store|Store)$/;
const PORT_MODULES = new Set(["core/ports.ts", "app/ports.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(e.name) ? [path] : [];
  });
}

/** Code without comments, so a sentence like "stored in the store." doesn't count. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** What a file does with the store, one line per finding; `file` is for the messages. */
function storeUses(file: string, source: string): string[] {
  const found: string[] = [];
  const text = code(source);
  for (const m of text.matchAll(/import\s+(type\s+)?([^;]*?)\s+from\s*["']([^"']+)["']/g)) {
    const names = m[2] ?? "";
    const spec = m[3] ?? "";
    if (DATABASE_PACKAGES.test(spec)) found.push(`${file} imports ${spec}`);
    if (!spec.startsWith(".")) continue;
    const target = relative(SRC, resolve(dirname(join(SRC, file)), spec))
      .split("\\")
      .join("/");
    if (target.startsWith("store/") || target === "store") found.push(`${file} imports src/${target}`);
    if (PORT_MODULES.has(target)) {
      for (const name of names.replace(/[{}]/g, "").split(",")) {
        const imported =
          name
            .trim()
            .replace(/^type\s+/, "")
            .split(/\s+as\s+/)[0] ?? "";
        if (STORE_PORT.test(imported)) found.push(`${file} imports the ${imported} port`);
      }
    }
  }
  for (const m of text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g))
    if (m[1] && (DATABASE_PACKAGES.test(m[1]) || /(^|\/)store\//.test(m[1])))
      found.push(`${file} imports ${m[1]}`);
  for (const m of text.matchAll(
    /(?:\.store\b(?!-)|(?<![-/])\bstore\s*\.(?!ts\b)\w|\{[^}]*\bstore\b[^}]*\}\s*=)/g,
  ))
    found.push(`${file} touches the store: ${m[0].replace(/\s+/g, " ").slice(0, 60)}`);
  // The tracker's caches are the use cases' business (track-message, roster, settings): an adapter
  // that calls it directly is deciding when they go stale.
  for (const m of text.matchAll(/\.tracker\.\w+/g)) found.push(`${file} calls the tracker: ${m[0]}`);
  return found;
}

describe("adapters never touch the store (or the tracker)", () => {
  it("finds store imports, store port types and store access (so the scan below can fail)", () => {
    const file = "platforms/x/y.ts";
    expect(storeUses(file, 'import { TokenCipher } from "../../store/crypto.ts";')).toEqual([
      "platforms/x/y.ts imports src/store/crypto.ts",
    ]);
    expect(storeUses(file, 'import type { PrismaClient } from "@prisma/client";')).toHaveLength(1);
    expect(storeUses(file, 'import type { Clock, ChannelStore } from "../../core/ports.ts";')).toEqual([
      "platforms/x/y.ts imports the ChannelStore port",
    ]);
    expect(storeUses(file, 'import type { AppStore as S } from "../../app/ports.ts";')).toHaveLength(1);
    expect(storeUses(file, "await rt.store.getMember(ws.id, id);")).toHaveLength(1);
    expect(storeUses(file, "const { service, store } = this.app;")).toHaveLength(1);
    expect(storeUses(file, "await store.updateWorkspace(ws.id, patch);")).toHaveLength(1);
    expect(storeUses(file, "rt.service.tracker.invalidate(ws.id);")).toHaveLength(1);
    // Bolt's own InstallationStore, a file named *-store.ts and words in comments are not the store.
    expect(
      storeUses(
        file,
        'import type { InstallationStore } from "@slack/bolt";\nimport { X } from "./installation-store.ts";\n// kept in the store.\n',
      ),
    ).toEqual([]);
  });

  it("no file under src/platforms imports, names or calls the store", () => {
    const found = sourceFiles(PLATFORMS).flatMap((path) =>
      storeUses(relative(SRC, path).split("\\").join("/"), readFileSync(path, "utf8")),
    );
    expect(found).toEqual([]);
  });
});
