#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` and `npm run build`): the bundle in dist/bundle/, else
// the module-per-file output in dist/. Plain JavaScript starts in a fraction of the time the
// TypeScript loader takes. In a checkout that was never built, it falls back to the sources through
// tsx and says how to build.
import { existsSync } from "node:fs";

const bundled = new URL("../dist/bundle/cli.js", import.meta.url);
const compiled = existsSync(bundled) ? bundled : new URL("../dist/cli.js", import.meta.url);
const argv = process.argv.slice(2);

// `serve` runs in a child process with its Node options (src/node-options.ts). Starting it from
// here, before the CLI is loaded, keeps the parent that waits for it small.
const serveOptions = new URL("../dist/node-options.js", import.meta.url);
const served =
  argv[0] === "serve" && existsSync(serveOptions)
    ? (await import(serveOptions.href)).serveWithOptions()
    : null;

if (served) {
  process.exitCode = await served;
} else {
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
    process.exitCode = await cli.main(argv, true);
  } catch (err) {
    console.error(err?.name === "ConfigError" ? err.message : (err?.stack ?? String(err)));
    process.exitCode = 1;
  }
}
