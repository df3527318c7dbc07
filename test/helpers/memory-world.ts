import { OfflineService } from "../../src/app/service.ts";
import { fixedClock } from "../../src/core/ports.ts";
import type { IncomingMessage, Workspace } from "../../src/core/types.ts";
import { MemoryStore } from "../../src/store/memory/index.ts";
import { TEAM, teamMessage } from "./world.ts";

// test/helpers/world.ts without a database: the core service on the in-memory store, whose own
// timestamps (createdAt, receivedAt…) follow the same fixed clock. Building one takes microseconds.

export interface MemoryWorld {
  store: MemoryStore;
  ws: Workspace;
  service: OfflineService;
  clock: ReturnType<typeof fixedClock>;
  message(author: string, text: string): IncomingMessage;
}

export async function createMemoryWorld(now = "2026-11-18T15:00:00Z"): Promise<MemoryWorld> {
  const clock = fixedClock(now);
  const store = new MemoryStore({ now: () => clock.now() });
  const service = new OfflineService(store, clock);
  const ws = await store.upsertWorkspace({
    platform: "slack",
    externalId: "T1",
    name: "Northwind",
    timezone: "America/New_York",
  });
  for (const m of TEAM) await service.member(ws, { ...m, tz: "America/New_York" });
  return {
    store,
    ws,
    service,
    clock,
    message: (author, text) => teamMessage(ws, clock, author, text),
  };
}
