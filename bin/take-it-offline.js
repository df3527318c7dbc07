#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so there is no build step to forget.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli.ts");
const { ConfigError } = await import("../src/config.ts");
try {
  process.exitCode = await main(process.argv.slice(2), true);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : (err?.stack ?? String(err)));
  process.exitCode = 1;
}
