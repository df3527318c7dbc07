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

  it("runs the bundle, which finds the files it reads beside the modules in dist/ (the compact name model)", async () => {
    expect(existsSync(join(DIST, "bundle", "cli.js"))).toBe(true);
    // The compact model is the one the JSON beside it was made into, so detection loads it.
    const script = `
      const { loadCompactModel } = await import(${JSON.stringify(join(DIST, "core", "detect", "names", "model.js"))});
      console.log(loadCompactModel() !== null);`;
    const file = join(mkdtempSync(join(tmpdir(), "dist-model-")), "run.mjs");
    writeFileSync(file, script);
    expect((await run(process.execPath, [file], { cwd: ROOT })).stdout.trim()).toBe("true");
    // detect through bin/ (the bundle), with its data read from dist/.
    const child = execFile(process.execPath, [join(ROOT, "bin", "take-it-offline.js"), "detect"], {
      cwd: ROOT,
    });
    child.stdin?.end(`${JSON.stringify({ id: 1, text: "Lunch with Priya Raman? priya@partner.io" })}\n`);
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    const kinds = (JSON.parse(out) as { contacts: { kind: string }[] }).contacts.map((c) => c.kind);
    expect(kinds).toEqual(expect.arrayContaining(["person", "email"]));
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
