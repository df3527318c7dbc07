#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` and `npm run build`): plain JavaScript starts in
// a fraction of the time the TypeScript loader takes. In a checkout that was never built, it falls
// back to the sources through tsx and says how to build.
import { existsSync } from "node:fs";

const compiled = new URL("../dist/cli.js", import.meta.url);
let cli;
if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  console.error(
    "take-it-offline: dist/ is missing, running from source (npm run build makes it start faster)",
  );
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../src/cli.ts");
}
try {
  process.exitCode = await cli.main(process.argv.slice(2), true);
} catch (err) {
  console.error(err?.name === "ConfigError" ? err.message : (err?.stack ?? String(err)));
  process.exitCode = 1;
}
