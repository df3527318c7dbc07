import { randomBytes } from "node:crypto";
import type { CalendarProviderId } from "../app/calendar-port.ts";
import type { Calendars } from "../app/calendars.ts";
import { withoutTrailingSlashes } from "../core/text.ts";
import type { Member, Workspace } from "../core/types.ts";
import type { FakeAccount } from "./fake-calendar-server.ts";
import { FakeGoogle } from "./fake-google.ts";
import { FakeGraph } from "./fake-graph.ts";

// Both fake calendar providers at once, for the demo and tests that need people with calendars:
//
//   const fakes = await startFakeCalendars();
//   const app = await openApp(loadConfig({ ...env, ...fakes.env }));          // calendars on
//   await fakes.connect(app.service.calendars!, ws, ann, { provider: "google", email: "ann@acme.example",
//     busy: [{ start, end }] });                                              // Ann is connected
//   fakes.google.account("ann@acme.example").events                          // what was booked
//
// connect() goes through the real consent flow (the fake's authorize redirect, the code exchange
// by the real client library, the grant sealed in the store), only without a browser; with `via`
// (a running server's base URL) the redirect is delivered to its callback page over HTTP, as the
// browser would, else it is completed in-process.

export interface FakeCalendars {
  google: FakeGoogle;
  graph: FakeGraph;
  /** The environment that points the app at both fakes (a throwaway TOKEN_ENCRYPTION_KEY included). */
  env: Record<string, string>;
  /** Connects `member`'s calendar at `provider` as the fake account `email` (created if new). */
  connect(
    calendars: Calendars,
    ws: Workspace,
    member: Member,
    opts: { provider: CalendarProviderId; email: string; busy?: FakeAccount["busy"]; via?: string },
  ): Promise<FakeAccount>;
  close(): Promise<void>;
}

export async function startFakeCalendars(
  opts: { publicUrl?: string; tokenKey?: string } = {},
): Promise<FakeCalendars> {
  const google = await FakeGoogle.start({
    clientId: "fake-google-client",
    clientSecret: "fake-google-secret",
  });
  const graph = await FakeGraph.start({ clientId: "fake-graph-client", clientSecret: "fake-graph-secret" });
  const env: Record<string, string> = {
    PUBLIC_URL: opts.publicUrl ?? "http://127.0.0.1:3000",
    TOKEN_ENCRYPTION_KEY: opts.tokenKey ?? randomBytes(32).toString("hex"),
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_OAUTH_URL: google.url,
    GOOGLE_API_URL: google.url,
    MICROSOFT_GRAPH_CLIENT_ID: graph.clientId,
    MICROSOFT_GRAPH_CLIENT_SECRET: graph.clientSecret,
    MICROSOFT_LOGIN_URL: graph.url,
    MICROSOFT_GRAPH_URL: graph.url,
  };
  return {
    google,
    graph,
    env,
    async connect(calendars, ws, member, c) {
      const fake = c.provider === "google" ? google : graph;
      const account = fake.accounts.get(c.email.toLowerCase()) ?? fake.addAccount(c.email);
      if (c.busy) account.busy.push(...c.busy);
      fake.signInAs = account.email;
      const link = calendars.connect(ws, member, c.provider);
      if (!link.ok) throw new Error(`can't connect a calendar: ${link.reason}`);
      const res = await fetch(link.links[0]?.url ?? "", { redirect: "manual" });
      const back = new URL(res.headers.get("location") ?? "");
      if (c.via) {
        const page = await fetch(`${withoutTrailingSlashes(c.via)}${back.pathname}${back.search}`);
        if (page.status !== 200) throw new Error(`the calendar callback page answered HTTP ${page.status}`);
        return account;
      }
      const q = (k: string) => back.searchParams.get(k);
      const done = await calendars.complete(c.provider, {
        state: q("state"),
        code: q("code"),
        error: q("error"),
      });
      if (!done.ok) throw new Error(`calendar connection failed: ${done.reason} ${done.detail ?? ""}`);
      return account;
    },
    async close() {
      await google.close();
      await graph.close();
    },
  };
}
