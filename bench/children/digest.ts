// Builds one workspace's weekly digest several times, in its own process (peak RSS is its own).
//   node --import tsx bench/children/digest.ts <database-url> <workspace-id> <week> <now-iso> <runs>
import { openApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { fixedClock } from "../../src/core/ports.ts";
import { emitResult } from "../lib/child.ts";

async function main(): Promise<void> {
  const [url, workspaceId, week, now, runsArg] = process.argv.slice(2);
  if (!url || !workspaceId || !week || !now)
    throw new Error("usage: digest.ts <url> <workspace-id> <week> <now> <runs>");
  const runs = Number(runsArg ?? 5);
  const app = await openApp(loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent" }), {
    clock: fixedClock(now),
    migrate: false,
  });
  try {
    const ws = await app.store.getWorkspace(workspaceId);
    if (!ws) throw new Error(`no workspace ${workspaceId}`);
    // Connect first, so the first timing is the digest and not the connection.
    await app.database.db.$queryRawUnsafe("SELECT 1");
    const seconds: number[] = [];
    let view: Awaited<ReturnType<typeof app.service.digestView>> | null = null;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      view = await app.service.digestView(ws, week);
      seconds.push((performance.now() - started) / 1000);
    }
    emitResult({
      seconds,
      // What the digest found: a digest that is fast because it is empty proves nothing.
      view: view ? summarizeView(view) : null,
    });
  } finally {
    await app.close();
  }
}

function summarizeView(view: unknown): Record<string, unknown> {
  const v = view as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v)) {
    if (Array.isArray(value)) out[k] = value.length;
    else if (typeof value === "number" || typeof value === "string") out[k] = value;
  }
  return out;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
