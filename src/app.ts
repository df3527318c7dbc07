import { hostname } from "node:os";
import type { CalendarPort } from "./app/calendar-port.ts";
import { DASHBOARD_PREFIX } from "./app/dashboard.ts";
import type { Sealer } from "./app/installations.ts";
import { OfflineService } from "./app/service.ts";
import { createCalendars } from "./calendars/index.ts";
import type { Config } from "./config.ts";
import { type AppStore, type Clock, systemClock } from "./core/ports.ts";
import { withoutTrailingSlashes } from "./core/text.ts";
import { createLogger, type Logger } from "./log.ts";
import { TokenCipher } from "./store/crypto.ts";
import { type Database, openDatabase } from "./store/db.ts";
import { migrate } from "./store/migrate.ts";
import { PrismaStore } from "./store/prisma-store.ts";
import { lazyDetectOffload } from "./workers/detect-offload.ts";

// The composition root for everything that is not HTTP: database, store, core service.
// server.ts, the CLI, the demo and the tests all start here.

export interface AppContext {
  config: Config;
  database: Database;
  store: AppStore;
  service: OfflineService;
  clock: Clock;
  log: Logger;
  instanceId: string;
  /** Seals what is stored at rest (installation tokens) with a 32-byte key (TOKEN_ENCRYPTION_KEY). */
  sealer(key: Buffer): Sealer;
  close(): Promise<void>;
}

export async function openApp(
  config: Config,
  options: { clock?: Clock; log?: Logger; migrate?: boolean; calendars?: CalendarPort } = {},
): Promise<AppContext> {
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  if (options.migrate !== false) {
    const result = await migrate(config.DATABASE_URL);
    if (result.applied.length) log.info("migrations applied", { applied: result.applied });
  }
  const database = await openDatabase(config.DATABASE_URL);
  const store = new PrismaStore(database);
  const clock = options.clock ?? systemClock;
  const sealer = (key: Buffer) => new TokenCipher(key);
  const calendars = (await createCalendars(config, { store, clock, log, sealer })) ?? undefined;
  const detectionOffload = config.DETECTION_WORKER
    ? lazyDetectOffload((err) => log.warn("detection worker failed; detecting on the main thread", { err }))
    : undefined;
  return {
    config,
    database,
    store,
    service: new OfflineService(store, clock, {
      ...(detectionOffload ? { detectionOffload } : {}),
      onLongMessage: (notice) =>
        log.warn("message longer than detection reads; the rest was not read", { ...notice }),
      ...(calendars ? { calendars } : {}),
      ...(options.calendars ? { calendarPort: options.calendars } : {}),
      ...(config.PUBLIC_URL
        ? { dashboardUrl: `${withoutTrailingSlashes(config.PUBLIC_URL)}${DASHBOARD_PREFIX}` }
        : {}),
    }),
    clock,
    log,
    instanceId: config.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    sealer,
    close: async () => {
      await detectionOffload?.close();
      await database.close();
    },
  };
}
