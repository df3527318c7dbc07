// The port a calendar provider (Google, Microsoft) implements for the calendar use cases
// (src/app/calendars.ts): its OAuth flow, and three calendar calls made with an access token. The
// implementations live in src/calendars/; the use cases hold the policy (which grant, when to
// refresh, what a revoked grant means to the person).

import type { Interval } from "../core/calendar/slots.ts";
import type { CalendarEventDraft, CalendarProviderId, PastEvent } from "./calendar-port.ts";

export interface TokenSet {
  accessToken: string;
  /** Null when the provider sent none (a refresh that keeps the old one). */
  refreshToken: string | null;
  /** When the access token expires (epoch ms); null when the provider didn't say. */
  expiresAt: number | null;
}

export interface CalendarApi {
  busy(from: Date, to: Date): Promise<Interval[]>;
  createEvent(draft: CalendarEventDraft): Promise<{ id: string; link: string | null }>;
  pastEvents(from: Date, to: Date): Promise<PastEvent[]>;
}

export interface CalendarProvider {
  id: CalendarProviderId;
  /** The provider's consent page, which sends the person back to `redirectUri` with `state`. */
  authorizationUrl(state: string, redirectUri: string): string;
  /** The code from the redirect → tokens, and the account's email when the provider says it. */
  exchangeCode(code: string, redirectUri: string): Promise<{ tokens: TokenSet; accountEmail: string | null }>;
  /** New tokens; CalendarError "revoked" when the grant is gone (invalid_grant). */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** Revokes the grant at the provider where it can be (Google); a no-op where it can't. */
  revoke(tokens: TokenSet): Promise<void>;
  /** The calendar calls with one access token. They throw CalendarError. */
  api(accessToken: string): CalendarApi;
}

/** Thrown by an API call answered 401: the access token is no good (refresh, then maybe revoked). */
export class Unauthorized extends Error {
  constructor() {
    super("access token refused");
    this.name = "Unauthorized";
  }
}
