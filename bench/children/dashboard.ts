// Serves the dashboard from the real server and times its overview page over HTTP, signed in as a
// teammate of the benchmark workspace (through a one-time sign-in link, as the demo prints).
//   node --import tsx bench/children/dashboard.ts <database-url> <workspace-id> <now-iso> <runs>
import { randomBytes } from "node:crypto";
import { openApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { fixedClock } from "../../src/core/ports.ts";
import { freePort } from "../../src/devtools/free-port.ts";
import { startServer } from "../../src/server.ts";
import { emitResult } from "../lib/child.ts";

async function main(): Promise<void> {
  const [url, workspaceId, now, runsArg] = process.argv.slice(2);
  if (!url || !workspaceId || !now) throw new Error("usage: dashboard.ts <url> <workspace-id> <now> <runs>");
  const runs = Number(runsArg ?? 5);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = await openApp(
    loadConfig({
      DATABASE_URL: url,
      LOG_LEVEL: "silent",
      PUBLIC_URL: base,
      SESSION_SECRET: randomBytes(32).toString("hex"),
    }),
    { clock: fixedClock(now), migrate: false },
  );
  const running = await startServer(app, { port, host: "127.0.0.1", scheduler: false });
  try {
    const ws = await app.store.getWorkspace(workspaceId);
    if (!ws) throw new Error(`no workspace ${workspaceId}`);
    const [member] = await app.service.listMembers(ws);
    if (!member) throw new Error("no member to sign in as");
    const token = await app.service.createSignInLink(ws, member);
    const signIn = await fetch(`${base}/app/auth/link?token=${token}`, { redirect: "manual" });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .filter((c) => c?.startsWith("tio_session="))
      .join("; ");
    if (!cookie) throw new Error(`sign-in failed: HTTP ${signIn.status}`);
    const seconds: number[] = [];
    let page = "";
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const res = await fetch(`${base}/app/`, { headers: { cookie } });
      page = await res.text();
      if (res.status !== 200) throw new Error(`overview answered ${res.status}`);
      seconds.push((performance.now() - started) / 1000);
    }
    // What the page showed: an overview that is fast because it is empty proves nothing.
    const data = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(page)?.[1];
    const weeks = data ? (JSON.parse(data) as { weeks: Array<{ total: number; met: number }> }).weeks : [];
    emitResult({
      seconds,
      weeks: weeks.length,
      weeksMeasured: weeks.filter((w) => w.total > 0).length,
      lastWeek: weeks.at(-1) ?? null,
      bytes: page.length,
    });
  } finally {
    await running.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
