import { describe, expect, it } from "vitest";
import { SERVE_ENV, SERVE_NODE_FLAGS } from "../../src/node-options.ts";

// The real command line: bin/take-it-offline.js serve, as a process manager would run it.

describe("take-it-offline serve", () => {
  it("runs the server with its heap cap and malloc arenas, and stops cleanly on a SIGTERM to the command", async () => {
    const { spawn } = await import("node:child_process");
    const { mkdtempSync, readFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "tio-serve-"));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      DATABASE_URL: `file:${join(dir, "serve.db")}`,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
    };
    const cli = spawn(process.execPath, ["bin/take-it-offline.js", "serve"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    cli.stderr.on("data", (d: Buffer) => {
      log += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => cli.on("exit", (code) => resolve(code)));
    try {
      for (let waited = 0; !log.includes("server listening") && waited < 60_000; waited += 100)
        await new Promise((r) => setTimeout(r, 100));
      const line = log.split("\n").find((l) => l.includes("server listening")) ?? "";
      const port = (JSON.parse(line) as { port: number }).port;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // The server is the command's child, started with the flag and the variable.
      const children = readFileSync(`/proc/${cli.pid}/task/${cli.pid}/children`, "utf8").trim().split(/\s+/);
      const server = children.find((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("serve"),
      );
      expect(server).toBeDefined();
      const argv = readFileSync(`/proc/${server}/cmdline`, "utf8").split("\0");
      for (const flag of SERVE_NODE_FLAGS) expect(argv).toContain(flag);
      const environ = readFileSync(`/proc/${server}/environ`, "utf8").split("\0");
      expect(environ).toContain(`MALLOC_ARENA_MAX=${SERVE_ENV.MALLOC_ARENA_MAX}`);
      expect(SERVE_NODE_FLAGS.length).toBeGreaterThan(0);
      cli.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(log).toContain("server stopped");
    } finally {
      cli.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
