import type { AllMiddlewareArgs, AnyMiddlewareArgs, App } from "@slack/bolt";
import type { Inbox } from "../../app/inbox.ts";
import type { BackgroundWork } from "../../background.ts";
import type { Logger } from "../../log.ts";
import type { ListenedEventType } from "./ids.ts";
import type { EventArgs, EventHandlers } from "./listeners/events.ts";
import { deliveryKeySchema, eventEnvelopeSchema } from "./payloads.ts";
import type { SlackContext } from "./runtime.ts";

// Slack's side of the durable inbox (app/inbox.ts, the one every platform uses). Slack wants an
// answer within 3 s and retries what it doesn't get, and we must neither lose an acknowledged
// event nor count a retried one twice:
//
//   1. accept the event (key "slack:" + event_id) before answering; a key seen before is a retry
//      (or a replay by Slack after a slow answer): answer 200 and drop it;
//   2. answer (the receivers hold the ack until this middleware returns; see index.ts);
//   3. settle: run the event's handler in the background; the inbox marks it done or failed;
//   4. events accepted but never finished (a crash after the ack, or a failure) are replayed
//      through the same handlers by replayPending(), at start-up and every minute.
//
// The inbox coalesces its writes: a burst of events costs one INSERT and one UPDATE, not one each
// per event. Events end here: the handlers (listeners/events.ts) are called from this middleware,
// never through Bolt's listener chains (see eventHandlers for why).
//
// If accepting fails the middleware throws, Bolt answers 500 and Slack delivers the event again.

const REPLAY = "inboxReplay";

/**
 * The delivery's bytes as Slack sent them (JSON), passed through Bolt's context by the HTTP edge
 * (customProperties): stored as they are instead of serializing the parsed body again, which was
 * about 2% of a busy server's event loop. Without it (Socket Mode) the body is serialized.
 */
export const RAW_BODY = "inboxRawBody";

/** Passed through Bolt's context on a replay; the middleware marks it so unhandled replays can be closed. */
interface ReplayMarker {
  key: string;
  handled: boolean;
  /** What the handler threw, if it did. */
  error?: unknown;
}

function replayMarker(v: unknown): ReplayMarker | null {
  return typeof v === "object" && v !== null && typeof (v as ReplayMarker).key === "string"
    ? (v as ReplayMarker)
    : null;
}

export interface InboxOptions {
  inbox: Inbox;
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

export function inboxMiddleware(o: InboxOptions) {
  return async (args: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    if (!("event" in args) || !args.event) return args.next();
    const event = args.event as unknown as Record<string, unknown>;
    if (!o.wanted(event)) return;
    const handler = o.handlers[event.type as ListenedEventType];
    const handle = () => handler({ event, context: args.context, client: args.client } satisfies EventArgs);
    const replay = replayMarker(args.context[REPLAY]);
    if (replay) {
      // The inbox's replay settles the event with what happens here (replayPending, below).
      replay.handled = true;
      await handle().catch((err: unknown) => {
        replay.error = err ?? new Error("replay failed");
      });
      return;
    }
    // Bolt has taken the envelope in already (the HTTP edge checked it all); only the key is read here.
    const envelope = deliveryKeySchema.safeParse(args.body);
    if (!envelope.success) {
      o.log.warn("slack event without an event_id; processing it without de-duplication");
      return handle();
    }
    const key = eventKey(envelope.data.event_id);
    const wsId = await o.workspaceId(args.context);
    const raw = args.context[RAW_BODY];
    const payload = typeof raw === "string" ? raw : JSON.stringify(args.body);
    if (!(await o.inbox.accept(key, wsId, payload))) {
      o.log.debug("duplicate slack event dropped", { key, retry: args.context.retryNum });
      return;
    }
    o.background.run(`slack:${envelope.data.event.type}`, () => o.inbox.settle(key, handle).then(() => {}));
  };
}

/**
 * Re-runs stored events that were never finished, oldest first, through Bolt (so authorization
 * and the listeners' context are as on a live delivery). `olderThan` keeps events that are still
 * being processed right now (by this or another replica) out of the batch; the inbox claims each
 * one, so of several replicas one runs it.
 */
export function replayPending(app: App, o: InboxOptions, olderThan: Date, limit = 100): Promise<number> {
  return o.inbox.replay(
    olderThan,
    async (e) => {
      let body: unknown;
      try {
        body = JSON.parse(e.payload);
      } catch {
        body = null;
      }
      if (!eventEnvelopeSchema.safeParse(body).success)
        throw new Error("stored payload is not a Slack event");
      const marker: ReplayMarker = { key: e.key, handled: false };
      // Throws when authorization fails (uninstalled meanwhile): a failed attempt. An event filtered
      // before the inbox (e.g. the bot's own message) is simply done.
      await app.processEvent({
        body: body as Record<string, unknown>,
        ack: async () => {},
        customProperties: { [REPLAY]: marker },
      });
      if (marker.error !== undefined) throw marker.error;
    },
    limit,
  );
}
