// `npm run build` (also run by `npm ci`): compiles src/ to dist/, the JavaScript that bin/ runs, so
// no TypeScript loader is in the process at run time (it costs start-up time and memory). Types
// are checked by `npm run typecheck`, not here, which keeps the build to a few seconds. Files the
// code reads next to itself (the name tagger's model and gazetteer) are copied beside the output, and
// the model is also written in its compact form (model.bin).
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const dist = join(root, "dist");
const ASSET = /\.(gz|json)$/;

// A module deleted from src/ must not live on in dist/.
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--noCheck"], {
  stdio: "inherit",
});

let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !ASSET.test(entry.name)) continue;
  const from = join(entry.parentPath, entry.name);
  cpSync(from, join(dist, relative(src, from)));
  copied++;
}
// The name tagger's model in the compact form detection loads quickly (core/detect/names/compact.ts),
// derived from the committed model.json.gz copied above.
const { writeCompactModel } = await import(join(dist, "core/detect/names/model.js"));
writeCompactModel();
// What bin/ runs: the command line bundled from src/ into dist/bundle/ (esbuild), one chunk per
// dynamic import, so a command loads a few files instead of hundreds (one per module of ours, ~95
// of zod's, ~45 of jose's): `detect` and `serve` started 0.1–0.3 s sooner. Pure-JavaScript ES
// modules are bundled in; the rest (native drivers, Prisma, Bolt, botbuilder, CommonJS) stay
// packages. Each module's import.meta.url is its file in dist/, so the data it reads next to
// itself (the name model, word lists, migrations, dashboard assets, worker scripts) is found there.
const BUNDLED_PACKAGES = new Set([
  "zod",
  "jose",
  "tldts",
  "modern-ahocorasick",
  "ical-generator",
  "node-cron",
]);
const bundle = join(dist, "bundle");
await build({
  entryPoints: [join(src, "cli.ts")],
  outdir: bundle,
  entryNames: "[name]",
  chunkNames: "[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
  plugins: [
    {
      name: "take-it-offline",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, ({ path }) => {
          const name = path
            .split("/")
            .slice(0, path.startsWith("@") ? 2 : 1)
            .join("/");
          return BUNDLED_PACKAGES.has(name) ? undefined : { external: true };
        });
        b.onLoad({ filter: /\.ts$/ }, ({ path }) => {
          const code = readFileSync(path, "utf8");
          const compiled = relative(bundle, join(dist, relative(src, path))).replace(/\.ts$/, ".js");
          const url = `new URL(${JSON.stringify(compiled.split("\\").join("/"))}, import.meta.url).href`;
          return { contents: code.replaceAll("import.meta.url", url), loader: "ts" };
        });
      },
    },
  ],
});
// The dashboard's browser bundle (uPlot and our script and styles), made by the adapter's own
// bundling code so the served bytes are the same whether from dist/ or from the sources.
const { writeAssets } = await import(join(dist, "platforms/web/assets.js"));
const bundled = await writeAssets();
console.log(
  `Built ${relative(process.cwd(), dist) || "dist"}/ (${copied} data files copied; dashboard: ${bundled.join(", ")})`,
);
