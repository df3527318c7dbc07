// `npm run screenshots`: every message and form the bot sends, on Slack and Teams, at 450 and
// 320 px wide, as PNGs under data/screenshots/<platform>/, plus what the checks found.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM, ScreenRenderer } from "../src/devtools/render/browser.ts";
import { renderAll } from "../src/devtools/render/run.ts";

const out = join(process.cwd(), "data", "screenshots");

if (!ScreenRenderer.available()) {
  console.error(`No Chromium at ${CHROMIUM}. Install it: apt-get install -y chromium`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
const started = Date.now();
const result = await renderAll({ pngDir: out });
console.log(`${result.files.length} screenshots in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
if (result.requests.length) console.log(`Refused network requests: ${result.requests.join(", ")}`);
if (result.failures.length) {
  console.log(`\n${result.failures.length} check failures (see test/platforms/screens.test.ts):`);
  for (const f of result.failures) console.log(`- ${f.screen} · ${f.check}: ${f.detail}`);
}
