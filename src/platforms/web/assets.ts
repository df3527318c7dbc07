import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The dashboard's script and styles (client/dashboard.ts with uPlot, client/dashboard.css), bundled
// by esbuild. `npm run build` writes them beside the compiled adapter (dist/platforms/web/assets/);
// run from the sources (tsx, tests), the server bundles them in memory on first use instead. Both
// go through bundle() below, so they are the same bytes. Served from our own host: no CDN.

export interface Asset {
  type: string;
  body: Buffer;
}
export type Assets = Map<string, Asset>;

const here = dirname(fileURLToPath(import.meta.url));
const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/** A client entry: next to this file in src/, or back in src/ when this runs from dist/. */
function entry(name: string): string {
  const local = join(here, "client", name);
  return existsSync(local) ? local : join(here, "../../../src/platforms/web/client", name);
}

/** The Teams tab's sign-in (teams-js) is its own bundle, so the dashboard's script stays small. */
const FILES = ["dashboard.js", "dashboard.css", "teams.js"];

async function bundle(): Promise<Assets> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: { dashboard: entry("dashboard.ts"), teams: entry("teams-tab.ts") },
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    outdir: "out",
    write: false,
    logLevel: "silent",
    legalComments: "none",
  });
  const assets: Assets = new Map();
  for (const f of result.outputFiles) {
    const name = f.path.split(/[\\/]/).pop() ?? "";
    const ext = name.split(".").pop() ?? "";
    assets.set(name, { type: TYPES[ext] ?? "application/octet-stream", body: Buffer.from(f.contents) });
  }
  return assets;
}

const BUILT = join(here, "assets");

/** The built files when there are some (dist), else a fresh bundle. */
export async function loadAssets(): Promise<Assets> {
  if (FILES.every((name) => existsSync(join(BUILT, name)))) {
    const assets: Assets = new Map();
    for (const name of FILES) {
      const ext = name.split(".").pop() ?? "";
      assets.set(name, {
        type: TYPES[ext] ?? "application/octet-stream",
        body: await readFile(join(BUILT, name)),
      });
    }
    return assets;
  }
  return bundle();
}

/** The production build's step (scripts/build.mjs): writes the bundle beside this module. */
export async function writeAssets(): Promise<string[]> {
  const assets = await bundle();
  await mkdir(BUILT, { recursive: true });
  for (const [name, a] of assets) await writeFile(join(BUILT, name), a.body);
  return [...assets.keys()];
}
