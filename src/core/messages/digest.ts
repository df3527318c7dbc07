// The weekly digest's wording, once: a document that Slack, Teams and the CLI render. It leads
// with what people did (who met whom, coverage and its change), then asks for action (the contacts
// still online-only, each with Plan lunch), then the rest. No contact or lunch is listed twice.
import type {
  DigestContactView,
  DigestCoverage,
  DigestLunchView,
  DigestMeetingView,
  DigestView,
} from "../digest.ts";
import { joinNames, plural, sparkline } from "../format.ts";
import { PROMPT_LABELS } from "../prompt-text.ts";
import {
  type Block,
  commandSpan,
  heading,
  type Inline,
  link,
  type MessageDoc,
  type Span,
  strong,
  subtle,
  text,
} from "./doc.ts";

/** Section headings, shared by every renderer so Slack, Teams and the CLI read the same. */
export const DIGEST_HEADINGS = {
  onlineOnly: "Still online-only",
  metRecently: "Discussed and met recently",
  lunchesPlanned: "Lunches planned",
  lunchesHeld: "Lunches held",
  tookItOffline: "Also took it offline",
  coverage: "Offline coverage",
} as const;

export const QUIET_WEEK =
  "A quiet week: no tracked contacts were discussed, and no lunches were planned or held.";

/** The footer of every digest: what is counted, and where to find commands. */
const FOOTER: Inline = [
  "Take It Offline counts who mentioned which external people, never message text. Type ",
  commandSpan("help"),
  " for commands.",
];

export function digestDoc(view: Omit<DigestView, "fallbackText">): MessageDoc {
  const period = [view.periodName, view.periodLabel].filter(Boolean).join(", ");
  const blocks: Block[] = [
    { type: "title", text: view.title, large: true },
    subtle([view.workspaceName, period].filter(Boolean).join(" · ")),
    text(view.isEmpty ? QUIET_WEEK : leadSentence(view)),
  ];
  if (!view.isEmpty) {
    if (view.onlineOnly.length === 0 && view.metRecently.length > 0) {
      blocks.push(
        heading(DIGEST_HEADINGS.onlineOnly),
        text(`Nobody: everyone discussed was met in person in the last ${view.coverage.days} days.`),
      );
    }
    if (view.onlineOnly.length > 0) {
      blocks.push(heading(DIGEST_HEADINGS.onlineOnly));
      for (const c of view.onlineOnly) {
        blocks.push({
          type: "item",
          spans: contactLine(c),
          button: { label: PROMPT_LABELS.plan, action: { kind: "plan-contact", contactId: c.contactId } },
        });
      }
      if (view.moreOnlineOnly > 0) blocks.push(subtle(`…and ${view.moreOnlineOnly} more`));
    }
    if (view.metRecently.length > 0) {
      blocks.push(heading(DIGEST_HEADINGS.metRecently), {
        type: "list",
        items: view.metRecently.map(contactLine),
      });
      if (view.moreMetRecently > 0) blocks.push(subtle(`…and ${view.moreMetRecently} more`));
    }
    if (view.lunchesPlanned.length > 0) {
      blocks.push(heading(DIGEST_HEADINGS.lunchesPlanned), {
        type: "list",
        items: view.lunchesPlanned.map(lunchLine),
      });
    }
    if (view.lunchesHeld.length > 0) {
      blocks.push(heading(DIGEST_HEADINGS.lunchesHeld), {
        type: "list",
        items: view.lunchesHeld.map(lunchLine),
      });
    }
    if (view.tookItOffline.length > 0) {
      blocks.push(heading(DIGEST_HEADINGS.tookItOffline), {
        type: "list",
        items: view.tookItOffline.map((m) => [strong(m.memberName), ` met ${joinNames(m.contactNames)}`]),
      });
    }
  }
  blocks.push(
    { type: "divider" },
    heading(DIGEST_HEADINGS.coverage),
    { type: "stat", value: view.coverage.percentLabel, spans: [view.coverage.summary] },
    ...trendBlocks(view),
    { type: "context", spans: FOOTER },
  );
  return { summary: `${view.title}: ${view.isEmpty ? QUIET_WEEK : leadSentence(view)}`, blocks };
}

/** The coverage of the last weeks as a sparkline, with a link to the dashboard's chart. */
function trendBlocks(view: Omit<DigestView, "fallbackText">): Block[] {
  const trend = view.coverageTrend ?? [];
  if (!trend.some((v) => v !== null)) return [];
  const spans: Span[] = [`Last ${trend.length} weeks: ${sparkline(trend)}`];
  if (view.dashboardUrl) spans.push(" · ", link(view.dashboardUrl, "See the trend on the dashboard"));
  return [subtle(...spans)];
}

/** "Chloé Dubois had lunch with François Lefèvre; offline coverage is 17%, up from 10%." */
export function leadSentence(view: Omit<DigestView, "fallbackText">): string {
  const coverage = coveragePhrase(view.coverage, view.previousCoverage);
  return `${meetingsPhrase(view.lunchesHeld, view.tookItOffline)}${coverage ? `; ${coverage}` : ""}.`;
}

/** Who met whom: by name when it fits in a sentence, else counted. */
function meetingsPhrase(held: readonly DigestLunchView[], others: readonly DigestMeetingView[]): string {
  const byName = [
    ...held.map((l) => `${joinNames([l.organizerName, ...l.attendeeNames])} had lunch with ${l.contactName}`),
    ...others.map((m) => `${m.memberName} met ${joinNames(m.contactNames)}`),
  ];
  if (byName.length === 0) return "Nobody met a discussed contact in person";
  if (byName.length <= 2) return byName.join(", and ");
  const contacts = new Set([...held.map((l) => l.contactName), ...others.flatMap((m) => m.contactNames)]);
  const people = new Set([
    ...held.flatMap((l) => [l.organizerName, ...l.attendeeNames]),
    ...others.map((m) => m.memberName),
  ]);
  const lunches = held.length > 0 ? `, ${plural(held.length, "lunch", "lunches")} held` : "";
  return `${plural(people.size, "teammate")} met ${plural(contacts.size, "contact")} in person${lunches}`;
}

function coveragePhrase(now: DigestCoverage, before: DigestCoverage | null): string {
  if (now.ratio === null) return "";
  const base = `offline coverage is ${now.percentLabel}`;
  if (!before || before.ratio === null) return base;
  if (now.percentLabel === before.percentLabel) return `${base}, the same as the week before`;
  return `${base}, ${now.ratio > before.ratio ? "up" : "down"} from ${before.percentLabel}`;
}

/** "new this week", "up from 3": trends in words, which a screen reader reads as meant. */
export function trendPhrase(c: Pick<DigestContactView, "trend" | "previousWeekMentions">): string {
  switch (c.trend) {
    case "new":
      return "new this week";
    case "up":
      return `up from ${c.previousWeekMentions}`;
    case "down":
      return `down from ${c.previousWeekMentions}`;
    case "flat":
      return "same as the week before";
  }
}

function contactLine(c: DigestContactView): Inline {
  const met = c.lastMet ? `last met ${c.lastMet}` : "never met";
  return [
    strong(c.displayName),
    `${c.organization ? ` (${c.organization})` : ""} — ${plural(c.mentions, "mention")} from ${plural(c.teammates, "teammate")}, ${trendPhrase(c)}; ${met}`,
  ];
}

function lunchLine(l: DigestLunchView): Inline {
  const details = [l.when, l.place ? `at ${l.place}` : null].filter((d): d is string => d !== null);
  return [
    `${joinNames([l.organizerName, ...l.attendeeNames])} with `,
    strong(l.contactName),
    details.length > 0 ? ` — ${details.join(" ")}` : "",
  ];
}
