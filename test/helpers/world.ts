import { OfflineService } from "../../src/app/service.ts";
import { fixedClock } from "../../src/core/ports.ts";
import type { IncomingMessage, PlatformUserRef, Workspace } from "../../src/core/types.ts";
import type { Provider } from "../../src/store/db.ts";
import { createTestStore, type TestStore } from "./db.ts";

/** A migrated database, a workspace with teammates, and the core service on a fixed clock. */
export interface World extends TestStore {
  ws: Workspace;
  service: OfflineService;
  clock: ReturnType<typeof fixedClock>;
  message(author: string, text: string, extra?: Partial<IncomingMessage>): IncomingMessage;
}

export const TEAM: PlatformUserRef[] = [
  { platformUserId: "UANN", displayName: "Ann Smith", external: false, email: "ann@northwind.example" },
  { platformUserId: "UBO", displayName: "Bo Chen", external: false, email: "bo@northwind.example" },
  { platformUserId: "UCY", displayName: "Cy Park", external: false, email: "cy@northwind.example" },
];

let counter = 0;

export async function createWorld(provider: Provider, now = "2026-11-18T15:00:00Z"): Promise<World> {
  const t = await createTestStore(provider);
  const clock = fixedClock(now);
  const service = new OfflineService(t.store, clock);
  const ws = await t.store.upsertWorkspace({
    platform: "slack",
    externalId: "T1",
    name: "Northwind",
    timezone: "America/New_York",
  });
  for (const m of TEAM) await service.member(ws, { ...m, tz: "America/New_York" });
  return {
    ...t,
    ws,
    service,
    clock,
    message: (author, text, extra = {}) => teamMessage(ws, clock, author, text, extra),
  };
}

/** A message in channel C1, now, by a TEAM member (or an unknown author). */
export function teamMessage(
  ws: Workspace,
  clock: { now(): Date },
  author: string,
  text: string,
  extra: Partial<IncomingMessage> = {},
): IncomingMessage {
  const ref = TEAM.find((m) => m.platformUserId === author) ?? {
    platformUserId: author,
    displayName: author,
    external: false,
  };
  return {
    workspaceId: ws.id,
    messageId: `C1:${++counter}`,
    channelId: "C1",
    author: ref,
    text,
    at: clock.now(),
    source: "message",
    userRefs: [],
    ...extra,
  };
}
