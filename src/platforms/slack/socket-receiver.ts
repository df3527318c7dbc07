import type { App, Logger as BoltLogger, Receiver, ReceiverEvent, webApi } from "@slack/bolt";
import { SocketModeClient } from "@slack/socket-mode";
import { z } from "zod";
import type { Logger } from "../../log.ts";
import { routeSlackBody } from "./edge.ts";

// Socket Mode with the same "persist, then acknowledge" order as the HTTP receiver. Bolt's own
// SocketModeReceiver sends the ack for Events API envelopes before any middleware runs, so an event
// could be acknowledged and then lost in a crash. Here ack() only records the answer; it is sent
// once Bolt has run the middleware (our inbox stores the event) and the listeners' synchronous part.
// If that throws, nothing is sent and Slack delivers the envelope again.

const envelopeSchema = z.object({
  ack: z.custom<(response?: unknown) => Promise<void>>((v) => typeof v === "function"),
  body: z.record(z.string(), z.unknown()),
  retry_num: z.number().optional(),
  retry_reason: z.string().optional(),
});

/**
 * The client reads `payload.event.type` of an events_api envelope before anything else sees it; a
 * null event throws there, as an unhandled rejection. Such an envelope is logged and left
 * unacknowledged (Slack gives up after a few redeliveries).
 */
class GuardedSocketModeClient extends SocketModeClient {
  constructor(
    options: ConstructorParameters<typeof SocketModeClient>[0],
    private readonly log: Logger,
  ) {
    super(options);
  }

  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    try {
      await super.onWebSocketMessage(data, isBinary);
    } catch (err) {
      this.log.warn("malformed socket mode message skipped", { err });
    }
  }
}

export interface SocketReceiverOptions {
  appToken: string;
  clientOptions: webApi.WebClientOptions;
  logger: BoltLogger;
  log: Logger;
}

export class DeferredAckSocketModeReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app: App | null = null;

  constructor(private readonly o: SocketReceiverOptions) {
    const { logger: _logger, logLevel: _level, ...clientOptions } = o.clientOptions;
    this.client = new GuardedSocketModeClient(
      { appToken: o.appToken, logger: o.logger, clientOptions },
      o.log,
    );
    this.client.on("slack_event", (args: unknown) => {
      void this.onEnvelope(args);
    });
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<unknown> {
    return this.client.start();
  }

  async stop(): Promise<unknown> {
    return this.client.disconnect();
  }

  private async onEnvelope(args: unknown): Promise<void> {
    const envelope = envelopeSchema.safeParse(args);
    if (!envelope.success || !this.app) {
      this.o.log.warn("socket mode envelope ignored");
      return;
    }
    const { ack, body, retry_num, retry_reason } = envelope.data;
    // The same shape checks as over HTTP (edge.ts): what no listener would acknowledge is
    // acknowledged here, so Slack doesn't redeliver it and Bolt never sees it.
    const routing = routeSlackBody(body);
    if (!routing.pass) {
      if (routing.expected) this.o.log.debug("socket mode envelope answered", { reason: routing.reason });
      else this.o.log.warn("malformed socket mode envelope skipped", { reason: routing.reason });
      await ack().catch((err: unknown) => this.o.log.warn("socket mode ack failed", { err }));
      return;
    }
    let acked = false;
    let response: unknown;
    const event: ReceiverEvent = {
      body,
      ack: async (r?: unknown) => {
        acked = true;
        response = r;
      },
      ...(retry_num !== undefined ? { retryNum: retry_num } : {}),
      ...(retry_reason !== undefined ? { retryReason: retry_reason } : {}),
    };
    try {
      await this.app.processEvent(event);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      // No installation for the team: a redelivery can't succeed either, so acknowledge it.
      if (code !== "slack_bolt_authorization_error") {
        this.o.log.error("socket mode event failed; leaving it unacknowledged so Slack redelivers it", {
          err,
        });
        return;
      }
      acked = true;
    }
    if (!acked) return;
    try {
      await ack(response);
    } catch (err) {
      this.o.log.warn("socket mode ack failed", { err });
    }
  }
}
