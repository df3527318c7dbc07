// `npm run build` (also run by `npm ci`): compiles src/ to dist/, the JavaScript that bin/ runs, so
// no TypeScript loader is in the process at run time (it costs start-up time and memory). Types
// are checked by `npm run typecheck`, not here, which keeps the build to a few seconds. Files the
// code reads next to itself (the name tagger's model and gazetteer) are copied beside the output, and
// the model is also written in its compact form (model.bin).
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

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
// The dashboard's browser bundle (uPlot and our script and styles), made by the adapter's own
// bundling code so the served bytes are the same whether from dist/ or from the sources.
const { writeAssets } = await import(join(dist, "platforms/web/assets.js"));
const bundled = await writeAssets();
console.log(
  `Built ${relative(process.cwd(), dist) || "dist"}/ (${copied} data files copied; dashboard: ${bundled.join(", ")})`,
);
