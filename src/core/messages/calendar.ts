// What the bot says about connecting calendars, for every platform. Wording only; the use cases in
// app/calendars.ts decide when.
import { type Block, commandSpan, type MessageDoc, strong, text } from "./doc.ts";

/** The same union as the Calendar port's (app/calendar-port.ts); the core names no app module. */
export type CalendarProviderId = "google" | "microsoft";

export const PROVIDER_NAMES: Record<CalendarProviderId, string> = {
  google: "Google",
  microsoft: "Microsoft",
};

/** What the bot reads and keeps, said the same way wherever a calendar is offered. */
export const CALENDAR_PRIVACY =
  "I read only when you're busy (free/busy, no titles or details), create the lunch invites you book, and look at the past week's events for who was invited (email addresses) to notice meetings with people you track. I keep only the contact, the date and that it came from your calendar.";

/** The consent links, one button per provider. */
export function calendarConnectDoc(links: Array<{ provider: CalendarProviderId; url: string }>): MessageDoc {
  const blocks: Block[] = [
    { type: "title", text: "Connect your calendar" },
    text(
      "Lunch times that suit everyone, invites sent from your calendar, and lunches you had counted without reporting them.",
    ),
    { type: "context", spans: [CALENDAR_PRIVACY] },
    {
      type: "context",
      spans: [
        "The link works once, for 15 minutes. Disconnect any time: ",
        commandSpan("disconnect calendar"),
      ],
    },
    {
      type: "actions",
      id: "calendar_connect",
      buttons: links.map((l, i) => ({
        label: `Connect ${PROVIDER_NAMES[l.provider]} calendar`,
        action: { kind: "open-url" as const, url: l.url },
        ...(i === 0 ? { style: "primary" as const } : {}),
      })),
    },
  ];
  return { summary: "Connect your calendar", blocks };
}

export function calendarConnectedDoc(provider: CalendarProviderId, accountEmail: string | null): MessageDoc {
  const account = accountEmail ? ` (${accountEmail})` : "";
  return {
    summary: `Your ${PROVIDER_NAMES[provider]} calendar is connected`,
    blocks: [
      text("Your ", strong(`${PROVIDER_NAMES[provider]} calendar${account}`), " is connected."),
      { type: "context", spans: [CALENDAR_PRIVACY] },
      { type: "context", spans: ["To disconnect: ", commandSpan("disconnect calendar")] },
    ],
  };
}

/** The one message after a grant stopped working (revoked, expired): no error loop, a way back. */
export function calendarLostDoc(provider: CalendarProviderId): MessageDoc {
  return {
    summary: `Your ${PROVIDER_NAMES[provider]} calendar is no longer connected`,
    blocks: [
      text(
        `Your ${PROVIDER_NAMES[provider]} calendar is no longer connected (access was revoked or has expired), so I stopped using it and deleted what I held for it. `,
        "To reconnect: ",
        commandSpan("connect calendar"),
      ),
    ],
  };
}

/** Replies of the calendar commands (core markup: commands in backticks via command()). */
export const CALENDAR_REPLIES = {
  notConfigured:
    "Calendars aren't configured for this bot. An admin of the server can set GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET or a Microsoft app (see the README).",
  noPublicUrl:
    "Calendars can't be connected yet: the server doesn't know its public address (PUBLIC_URL), which the sign-in page must send you back to. Please tell whoever runs the bot.",
  disabled: "Calendars are turned off for this workspace by an admin (settings).",
  unknownProvider: (available: CalendarProviderId[]) =>
    `That calendar isn't available here. You can connect: ${available.map((p) => PROVIDER_NAMES[p]).join(", ")}.`,
  notConnected: "You have no calendar connected.",
  disconnected: (provider: CalendarProviderId, accountEmail: string | null) =>
    `Disconnected your ${PROVIDER_NAMES[provider]} calendar${accountEmail ? ` (${accountEmail})` : ""}: I deleted its tokens${provider === "google" ? " and revoked my access" : ". To remove the app's access from your Microsoft account too, see myaccount.microsoft.com → Apps"}.`,
};

/** The page the browser lands on after the provider's consent screen. */
export const CALLBACK_PAGES = {
  connected: (provider: CalendarProviderId, accountEmail: string | null) => ({
    title: "Calendar connected",
    body: `Your ${PROVIDER_NAMES[provider]} calendar${accountEmail ? ` (${accountEmail})` : ""} is connected. You can close this tab.`,
  }),
  failed: (reason: string) => ({
    title: "Calendar not connected",
    body:
      reason === "expired" || reason === "used"
        ? "This link has expired or was already used. Ask for a new one with /offline connect calendar (or “connect calendar” in Teams)."
        : reason === "denied"
          ? "You didn't allow access, so nothing was connected."
          : reason === "disabled"
            ? "Calendars are turned off for your workspace."
            : "Something went wrong; nothing was connected. Please try again with a new link.",
  }),
};
