import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// Benchmarks of the server run the compiled build (dist/), as `take-it-offline serve` does; it is
// built from the sources being measured, once per bench run, so it is never stale.

const BUILD = fileURLToPath(new URL("../../scripts/build.mjs", import.meta.url));
let built = false;

export function ensureBuild(log: (line: string) => void): void {
  if (built) return;
  log("building dist/ (npm run build)");
  execFileSync(process.execPath, [BUILD], { stdio: ["ignore", "ignore", "inherit"] });
  built = true;
}
