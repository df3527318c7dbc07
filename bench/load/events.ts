import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { eventEnvelope, signedHeaders } from "../../src/devtools/slack-signing.ts";
import {
  classifyMessage,
  messageText,
  messageUser,
  openSlackExport,
  type SlackUser,
} from "../../src/import/slack-export.ts";

// Slack Events API deliveries built from a sample export: every person's message becomes the
// `message` event Slack would have sent for it, in export order. Bodies are fixed strings (the
// signature covers the exact bytes); only the signing headers change at send time.

export interface LoadEvent {
  headers: Record<string, string>;
  body: string;
}

export interface EventSource {
  teamId: string;
  users: SlackUser[];
}

/** Message events of an export, as `{ headers, body }` signed with `secret` at `timestamp`. */
export async function* exportEvents(
  exportDir: string,
  secret: string,
  o: { limit?: number; timestamp?: number; source?: (s: EventSource) => void } = {},
): AsyncGenerator<LoadEvent> {
  const reader = await openSlackExport(exportDir);
  try {
    const users = await reader.users();
    await reader.channels();
    const teamId = users.find((u) => u.team_id)?.team_id ?? "T0BENCH";
    o.source?.({ teamId, users });
    let n = 0;
    for await (const ev of reader.messages()) {
      if (ev.type !== "message" || classifyMessage(ev.message) !== "message") continue;
      const m = ev.message;
      const user = messageUser(m);
      if (!user) continue;
      const event = {
        type: "message",
        channel: ev.channel.id,
        channel_type: ev.channel.kind === "private" ? "group" : "channel",
        user,
        text: messageText(m) ?? "",
        ts: m.ts,
        event_ts: m.ts,
        team: teamId,
        ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      };
      const body = JSON.stringify(
        eventEnvelope(event, {
          teamId,
          eventId: `EvBENCH${String(n).padStart(8, "0")}`,
          eventTime: Math.floor(Number(m.ts)),
          apiAppId: "A0BENCH",
        }),
      );
      yield {
        headers: { "content-type": "application/json", ...signedHeaders(secret, body, o.timestamp) },
        body,
      };
      if (++n >= (o.limit ?? Number.POSITIVE_INFINITY)) break;
    }
  } finally {
    await reader.close();
  }
}

/** Reads lines [from, from + count) of an events file written by bench/load/generate.ts. */
export async function readEvents(file: string, from: number, count: number): Promise<LoadEvent[]> {
  const out: LoadEvent[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let i = 0;
  for await (const line of lines) {
    if (i >= from + count) break;
    if (i++ < from || !line) continue;
    out.push(JSON.parse(line) as LoadEvent);
  }
  if (out.length < count) throw new Error(`${file} has ${i} events; need ${from + count}`);
  return out;
}

/** The same request re-signed now: Bolt refuses signatures older than five minutes. */
export function resign(
  e: LoadEvent,
  secret: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return { ...e.headers, ...signedHeaders(secret, e.body, timestamp) };
}
