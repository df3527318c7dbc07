import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

// A private PostgreSQL cluster for tests that must stop and restart the database server: its own
// data directory in a temp folder, its own port on 127.0.0.1, its own socket directory. The shared
// server on 5432 is never touched. initdb refuses to run as root, so as root the cluster belongs
// to the "postgres" system user (runuser). Commands run asynchronously: the app under test shares
// this process's event loop and must keep serving while the server stops and starts.

const run = promisify(execFile);

function binDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Why a private cluster can't be started here, or null when it can. */
export function privateClusterUnavailable(): string | null {
  if (!binDir()) return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin";
  if (isRoot()) {
    try {
      execFileSync("id", ["-u", "postgres"], { stdio: "pipe" });
    } catch {
      return "running as root and there is no 'postgres' user to run initdb as";
    }
    if (!existsSync("/usr/sbin/runuser") && !existsSync("/sbin/runuser"))
      return "running as root without runuser to start PostgreSQL as another user";
  }
  return null;
}

export interface PrivateCluster {
  port: number;
  /** postgres://postgres@127.0.0.1:PORT/<database> */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server (if running) and deletes its files. */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const reason = privateClusterUnavailable();
  const bin = binDir();
  if (reason || !bin) throw new Error(`no private PostgreSQL cluster: ${reason}`);
  const dir = mkdtempSync(join(tmpdir(), "tio-pg-"));
  const data = join(dir, "data");
  if (isRoot()) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const pgRun = (tool: string, args: string[]) =>
    isRoot()
      ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args])
      : run(join(bin, tool), args);
  await pgRun("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  let running = false;
  const cluster: PrivateCluster = {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: cluster.url("postgres") });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
    },
    async start() {
      await pgRun("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", options, "-w", "start"]);
      running = true;
    },
    async stop() {
      // fast: clients are disconnected at once, as in a restart or failover.
      await pgRun("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      running = false;
    },
    async dispose() {
      if (running) await cluster.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
