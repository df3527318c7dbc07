import { createServer } from "node:net";

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (for a server whose URL must name its port up
 * front): `preferred` when it is free, else any.
 */
export async function freePort(preferred?: number): Promise<number> {
  if (preferred !== undefined) {
    try {
      return await listenOnce(preferred);
    } catch {
      // Taken (or not ours to take): any port will do.
    }
  }
  return listenOnce(0);
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(port, "127.0.0.1", () => {
      const got = (s.address() as { port: number }).port;
      s.close(() => resolve(got));
    });
  });
}
