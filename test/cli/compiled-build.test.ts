import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// `npm ci` and `npm test` build dist/ (scripts/build.mjs); bin/take-it-offline.js runs it without
// a TypeScript loader. These tests run what a person runs: the compiled files, in child processes.

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const DIST = join(ROOT, "dist");

describe("the compiled build (dist/)", () => {
  it("is what bin/take-it-offline.js runs", async () => {
    expect(existsSync(join(DIST, "cli.js"))).toBe(true);
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, "bin", "take-it-offline.js"), "help"],
      {
        cwd: ROOT,
      },
    );
    expect(stdout).toContain("take-it-offline");
    expect(stdout).toContain("import <export-dir-or-zip>");
    expect(stderr).not.toContain("running from source");
  });

  it("carries the name model and runs the detection worker as plain JavaScript", async () => {
    expect(existsSync(join(DIST, "core", "detect", "names", "model.json.gz"))).toBe(true);
    // The worker is the one piece started from a file path rather than imported: a wrong path or a
    // leftover TypeScript import only shows when a worker starts from dist/.
    const script = `
      const { createDetectPool } = await import(${JSON.stringify(join(DIST, "workers", "detect-pool.js"))});
      const pool = createDetectPool(1);
      const inputs = { version: 1, internalDomains: ["acme.com"], teammates: [] };
      const [found] = await pool.detect(["Lunch with dana@partner.io next week?"], inputs);
      await pool.close();
      console.log(JSON.stringify(found.map((d) => [d.kind, d.text])));`;
    const file = join(mkdtempSync(join(tmpdir(), "dist-worker-")), "run.mjs");
    writeFileSync(file, script);
    const { stdout } = await run(process.execPath, [file], { cwd: ROOT });
    expect(JSON.parse(stdout)).toContainEqual(["email", "dana@partner.io"]);
  });
});
