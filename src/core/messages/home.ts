// A teammate's own view as a document: Slack's App Home and the Teams "home" card are both this,
// so what a person sees about themselves (open prompts, upcoming lunches, their contacts, their
// numbers next to the team's, pause, their data) is worded once.
//
// Numbers are labelled as theirs or the team's: a contact's mentions here are the person's own,
// while "teammates" counts everyone who discusses it.

import { ago, formatWhen, plural } from "../format.ts";
import { lunchPromptTitle, PROMPT_LABELS } from "../prompt-text.ts";
import { type CalendarProviderId, PROVIDER_NAMES } from "./calendar.ts";
import {
  type Block,
  commandSpan,
  type DocButton,
  type Inline,
  link,
  type MessageDoc,
  strong,
  subtle,
  text,
} from "./doc.ts";
import { countedItem, type NoticedContent } from "./noticed.ts";
import type { PromptContent } from "./prompt.ts";
import { type ReviewContent, reviewHomeBlocks } from "./review.ts";

/** The shape of app/home.ts's HomeSnapshot that the view reads. */
export interface HomeContent {
  optedOut: boolean;
  paused: boolean;
  /** When the pause ends; null while paused: until resume. */
  pausedUntil: Date | null;
  contacts: ReadonlyArray<{
    contact: { displayName: string; organization: string | null; lastMetAt: Date | null };
    /** The person's own mentions. */
    mentions: number;
    /** Teammates (the whole team) who discuss the contact. */
    teammates: number;
  }>;
  prompts: ReadonlyArray<PromptContent>;
  lunches: ReadonlyArray<{
    lunch: { scheduledFor: Date | null; place: string | null };
    contactName: string | null;
    withNames: ReadonlyArray<string | null>;
  }>;
  /** The web dashboard, when the deployment has one. */
  dashboardUrl?: string | null;
  numbers: {
    days: number;
    team: { contacts: number; met: number; lunchesPlanned: number; lunchesHeld: number };
    mine: { contacts: number; prompts: number };
  };
  /** The person's calendar: absent when calendars aren't configured or are off for the workspace. */
  calendar?: { connected: { provider: CalendarProviderId; accountEmail: string | null } | null };
  /** Meetings counted from the person's calendar lately, each with Undo. */
  counted?: ReadonlyArray<NoticedContent>;
  /** "Review who we found", for an admin while rows wait for an answer. */
  review?: ReviewContent | null;
}

export const HOME_TITLE = "Take it offline";

/** Pause durations the view offers, in days (null: until resume). */
export const PAUSE_CHOICES = { week: 7, month: 28 } as const;

/** "Paused until Mon 4 Jan, 09:00" / "Paused until you resume". */
export function pauseState(home: Pick<HomeContent, "paused" | "pausedUntil">, timeZone: string): string {
  if (!home.paused) return "Prompts are on, in your working hours.";
  return home.pausedUntil
    ? `Prompts are paused until ${formatWhen(home.pausedUntil, timeZone)}.`
    : "Prompts are paused until you resume.";
}

export function homeDoc(home: HomeContent, opts: { now: Date; timeZone: string }): MessageDoc {
  const blocks: Block[] = [
    { type: "title", text: HOME_TITLE, large: true },
    subtle(
      "I notice which people outside the company your team talks about, and suggest meeting them in person. I keep who mentioned whom and when, never what was said.",
    ),
  ];

  // The review comes first: on day one it is the one thing worth doing here.
  blocks.push(...reviewHomeBlocks(home.review));
  blocks.push({ type: "heading", text: "Waiting for your answer" });
  const prompts = home.prompts.filter((p) => p.kind !== "follow-up");
  if (prompts.length === 0) blocks.push(subtle("No open prompts."));
  for (const p of prompts) {
    if (p.kind === "lunch") {
      blocks.push({
        type: "item",
        spans: [strong(lunchPromptTitle(p.contactName)), ...(p.reason ? [` ${p.reason}`] : [])],
        button: { label: PROMPT_LABELS.plan, action: { kind: "nudge", nudgeId: p.nudgeId, action: "plan" } },
      });
    } else if (p.kind === "candidate") {
      blocks.push({
        type: "item",
        spans: [strong(p.question), ...(p.reason ? [` ${p.reason}`] : [])],
        button: {
          label: PROMPT_LABELS.track,
          action: { kind: "nudge", nudgeId: p.nudgeId, action: "track" },
        },
      });
    }
  }

  if (home.counted?.length) {
    blocks.push({ type: "divider" }, { type: "heading", text: "Counted from your calendar" });
    blocks.push(...home.counted.map(countedItem));
  }

  blocks.push({ type: "divider" }, { type: "heading", text: "Upcoming lunches" });
  if (home.lunches.length === 0) {
    blocks.push(
      subtle("None planned. Use Plan lunch on a prompt, or ", commandSpan("lunch"), " and a name."),
    );
  } else {
    blocks.push({
      type: "list",
      items: home.lunches.map((l): Inline => {
        const details = [
          l.lunch.scheduledFor ? formatWhen(l.lunch.scheduledFor, opts.timeZone) : "no date yet",
          l.lunch.place ? `at ${l.lunch.place}` : null,
          l.withNames.length ? `with ${l.withNames.map((n) => n ?? "a teammate").join(", ")}` : null,
        ].filter((d): d is string => !!d);
        return [strong(l.contactName ?? "A contact"), `: ${details.join(", ")}`];
      }),
    });
  }

  blocks.push({ type: "divider" }, { type: "heading", text: "Contacts you talk about (last 90 days)" });
  if (home.contacts.length === 0) {
    blocks.push(
      subtle(
        "Nobody yet. Mention an outside contact in a channel I'm in, or use ",
        commandSpan("track"),
        ".",
      ),
    );
  } else {
    blocks.push({
      // Not numbered: Teams draws each line as a list of its own, so every number would read "1.".
      type: "list",
      items: home.contacts.map((c): Inline => {
        const org = c.contact.organization ? ` (${c.contact.organization})` : "";
        const met = c.contact.lastMetAt ? `met ${ago(c.contact.lastMetAt, opts.now)}` : "never met in person";
        // Yours vs the team's: "9 mentions by you" is personal, "27 teammates discuss them" is team-wide.
        return [
          strong(c.contact.displayName),
          `${org}: ${plural(c.mentions, "mention")} by you; ${plural(c.teammates, "teammate")} on the team ${c.teammates === 1 ? "discusses" : "discuss"} them; ${met}`,
        ];
      }),
    });
  }

  const n = home.numbers;
  blocks.push({ type: "divider" }, { type: "heading", text: `Numbers (last ${n.days} days)` });
  blocks.push({
    type: "list",
    items: [
      [
        strong("You:"),
        ` ${plural(n.mine.contacts, "contact")} discussed, ${plural(n.mine.prompts, "prompt")} received`,
      ],
      [
        strong("Whole team:"),
        ` ${plural(n.team.contacts, "contact")} discussed, ${n.team.met} met in person within 90 days, ${plural(n.team.lunchesPlanned, "lunch", "lunches")} planned, ${n.team.lunchesHeld} held`,
      ],
    ],
  });

  blocks.push({ type: "divider" }, { type: "heading", text: "Your data" });
  blocks.push(
    text(
      commandSpan("forget-me"),
      " deletes everything about you (it asks first). ",
      commandSpan("help"),
      " lists all commands.",
    ),
  );
  if (home.calendar?.connected) {
    const c = home.calendar.connected;
    blocks.push(
      text(
        `Your ${PROVIDER_NAMES[c.provider]} calendar${c.accountEmail ? ` (${c.accountEmail})` : ""} is connected: I read when you're busy and who was invited, never titles or details. `,
        commandSpan("disconnect calendar"),
        " disconnects it.",
      ),
    );
  } else if (home.calendar) {
    blocks.push({
      type: "item",
      spans: [
        "Connect your calendar: lunch times when everyone is free, invites sent for you, lunches you had counted.",
      ],
      button: { label: "Connect calendar", action: { kind: "connect-calendar" } },
    });
  }
  if (home.dashboardUrl)
    blocks.push(
      subtle(
        "Your data, the team's trend and (for admins) every setting, on the web: ",
        link(home.dashboardUrl, "open the dashboard"),
        ".",
      ),
    );

  blocks.push({ type: "divider" }, { type: "heading", text: "Prompts" });
  const pause = (days: number | null) => ({ kind: "pause", days }) as const;
  let buttons: DocButton[];
  let more: DocButton[] = [];
  if (home.optedOut) {
    blocks.push(text("You opted out: I don't count your messages or send you prompts."));
    buttons = [{ label: "Opt back in", action: { kind: "resume" }, style: "primary" }];
  } else if (home.paused) {
    blocks.push(text(pauseState(home, opts.timeZone)));
    buttons = [{ label: PROMPT_LABELS.resume, action: { kind: "resume" }, style: "primary" }];
  } else {
    blocks.push(text(pauseState(home, opts.timeZone)));
    buttons = [{ label: PROMPT_LABELS.pauseWeek, action: pause(PAUSE_CHOICES.week) }];
    more = [
      { label: PROMPT_LABELS.pauseMonth, action: pause(PAUSE_CHOICES.month) },
      { label: PROMPT_LABELS.pauseUntilResume, action: pause(null) },
    ];
  }
  blocks.push({ type: "actions", id: "home:pause", buttons, ...(more.length ? { more } : {}) });

  const open = prompts.length;
  return {
    summary: `${HOME_TITLE}: ${plural(open, "open prompt")}, ${plural(home.lunches.length, "upcoming lunch", "upcoming lunches")}. ${home.optedOut ? "You opted out." : pauseState(home, opts.timeZone)}`,
    blocks,
  };
}
