import type { AllMiddlewareArgs, AnyMiddlewareArgs, App } from "@slack/bolt";
import type { BackgroundWork } from "../../background.ts";
import { Coalescer } from "../../core/coalescer.ts";
import type { Store } from "../../core/ports.ts";
import type { Logger } from "../../log.ts";
import type { ListenedEventType } from "./ids.ts";
import type { EventArgs, EventHandlers } from "./listeners/events.ts";
import { eventEnvelopeSchema } from "./payloads.ts";
import type { SlackContext } from "./runtime.ts";

// Durable inbox for Events API deliveries. Slack wants an answer within 3 s and retries what it
// doesn't get, and we must neither lose an acknowledged event nor count a retried one twice:
//
//   1. persist the event (key "slack:" + event_id) before answering; a key seen before is a retry
//      (or a replay by Slack after a slow answer): answer 200 and drop it;
//   2. answer (the receivers hold the ack until this middleware returns; see index.ts);
//   3. run the event's handler in the background and mark the event done or failed;
//   4. events persisted but never finished (a crash after the ack, or a failure) are replayed
//      through the same handlers by replayPending(), at start-up and every minute.
//
// Events end here: the handlers (listeners/events.ts) are called from this middleware, never
// through Bolt's listener chains (see eventHandlers for why).
//
// If persisting fails the middleware throws, Bolt answers 500 and Slack delivers the event again.

const REPLAY = "inboxReplay";

/** Passed through Bolt's context on a replay; the middleware marks it so unhandled replays can be closed. */
interface ReplayMarker {
  key: string;
  handled: boolean;
}

function replayMarker(v: unknown): ReplayMarker | null {
  return typeof v === "object" && v !== null && typeof (v as ReplayMarker).key === "string"
    ? (v as ReplayMarker)
    : null;
}

export interface InboxOptions {
  store: Store;
  background: BackgroundWork;
  log: Logger;
  /** Whether a handler would act on the event; others are acknowledged without being stored. */
  wanted(event: Record<string, unknown>): boolean;
  handlers: EventHandlers;
  workspaceId(ctx: SlackContext): Promise<string | null>;
}

export function eventKey(eventId: string): string {
  return `slack:${eventId}`;
}

/**
 * The inbox's two writes per event, each shared by the events that arrive together: under load a
 * burst costs one INSERT and one UPDATE, not one each per event. The INSERT holds up the ack, so it
 * never waits longer than the current turn of the event loop.
 */
type InboxWrites = ReturnType<typeof inboxWrites>;

function inboxWrites(store: Store) {
  const record = new Coalescer((items: Array<{ key: string; workspaceId: string | null; payload: string }>) =>
    store.recordEvents(items),
  );
  // Nobody waits for "done": a crash before it is written only means the (idempotent) listeners
  // run again on replay. So it gathers for a moment, and a busy second costs a handful of UPDATEs.
  const finish = new Coalescer(
    async (keys: string[]) => {
      await store.finishEvents(keys);
      return keys.map(() => undefined);
    },
    { lingerMs: 50, maxBatch: 500 },
  );
  return {
    record: (key: string, workspaceId: string | null, payload: string) =>
      record.run({ key, workspaceId, payload }),
    done: (key: string) => finish.run(key),
  };
}

export function inboxMiddleware(o: InboxOptions) {
  const writes = inboxWrites(o.store);
  return async (args: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    if (!("event" in args) || !args.event) return args.next();
    const event = args.event as unknown as Record<string, unknown>;
    if (!o.wanted(event)) return;
    const handler = o.handlers[event.type as ListenedEventType];
    const handle = () => handler({ event, context: args.context, client: args.client } satisfies EventArgs);
    const replay = replayMarker(args.context[REPLAY]);
    if (replay) {
      replay.handled = true;
      await finishAfter(o, writes, replay.key, handle, true);
      return;
    }
    const envelope = eventEnvelopeSchema.safeParse(args.body);
    if (!envelope.success) {
      o.log.warn("slack event without an event_id; processing it without de-duplication");
      return handle();
    }
    const key = eventKey(envelope.data.event_id);
    const wsId = await o.workspaceId(args.context);
    const fresh = await writes.record(key, wsId, JSON.stringify(args.body));
    if (!fresh) {
      o.log.debug("duplicate slack event dropped", { key, retry: args.context.retryNum });
      return;
    }
    o.background.run(`slack:${envelope.data.event.type}`, () => finishAfter(o, writes, key, handle));
  };
}

async function finishAfter(
  o: InboxOptions,
  writes: InboxWrites,
  key: string,
  run: () => Promise<void>,
  /** A replay: claimEvent already counted this attempt. */
  replay = false,
): Promise<void> {
  try {
    await run();
    // Replays run one after the other: each marks itself done at once rather than lingering.
    if (replay) await o.store.finishEvents([key]);
    else await writes.done(key);
  } catch (err) {
    o.log.error("slack event processing failed; it will be retried", { key, err });
    await o.store
      .finishEvent(key, {
        ok: false,
        error: err instanceof Error ? err.message : String(err),
        counted: replay,
      })
      .catch((e: unknown) => {
        o.log.error("could not record the failure of a slack event", { key, err: e });
      });
  }
}

/**
 * Re-runs stored events that were never finished, oldest first. `olderThan` keeps events that
 * are still being processed right now (by this or another replica) out of the batch.
 */
export async function replayPending(
  app: App,
  o: InboxOptions,
  olderThan: Date,
  limit = 100,
): Promise<number> {
  // Only Slack's keys: the table is shared with the other platforms' inboxes (app/inbox.ts).
  const pending = await o.store.pendingEvents(olderThan, limit, eventKey(""));
  let replayed = 0;
  for (const e of pending) {
    let body: unknown;
    try {
      body = JSON.parse(e.payload);
    } catch {
      body = null;
    }
    const envelope = eventEnvelopeSchema.safeParse(body);
    if (!envelope.success) {
      await o.store.finishEvent(e.key, { ok: false, error: "stored payload is not a Slack event" });
      continue;
    }
    // Another replica may be replaying the same batch right now: only one of them runs each event
    // (a replay can post, e.g. the channel-join note).
    if (!(await o.store.claimEvent(e.key, e.attempts))) continue;
    replayed++;
    const marker: ReplayMarker = { key: e.key, handled: false };
    try {
      await app.processEvent({
        body: envelope.data,
        ack: async () => {},
        customProperties: { [REPLAY]: marker },
      });
      // Filtered before reaching the inbox (e.g. the bot's own message): nothing left to do.
      if (!marker.handled) await o.store.finishEvent(e.key, { ok: true });
    } catch (err) {
      // Authorization failed (uninstalled meanwhile) or the workspace is gone: a failed attempt.
      await o.store.finishEvent(e.key, {
        ok: false,
        error: err instanceof Error ? err.message : String(err),
        counted: true,
      });
    }
  }
  if (replayed) o.log.info("replayed pending slack events", { count: replayed });
  return replayed;
}

/**
 * Runs `run` once per key across copies and replicas: the key is recorded in the inbox's table
 * first (no payload), and a key seen before means a redelivery, which is dropped. For
 * interactions (a click, a form submission), whose copies Slack's retries and replicas can race.
 */
export async function runOnce(
  store: Pick<Store, "recordEvent" | "finishEvents">,
  log: Pick<Logger, "debug">,
  workspaceId: string,
  key: string,
  run: () => Promise<void>,
): Promise<"ran" | "duplicate"> {
  if (!(await store.recordEvent(key, workspaceId, ""))) {
    log.debug("duplicate slack interaction dropped", { key });
    return "duplicate";
  }
  try {
    await run();
  } finally {
    await store.finishEvents([key]);
  }
  return "ran";
}
