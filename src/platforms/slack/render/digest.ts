import type { types } from "@slack/bolt";
import {
  DIGEST_HEADINGS,
  type DigestContactView,
  type DigestLunchView,
  type DigestView,
} from "../../../core/digest.ts";
import { joinNames, plural } from "../../../core/format.ts";
import { context, divider, escapeMrkdwn, header, section } from "./mrkdwn.ts";

// The weekly digest as Block Kit. The wording mirrors the plain-text fallback the core builds, so
// the channel post, its notification text and the CLI preview say the same thing.

const TREND: Record<DigestContactView["trend"], string> = {
  new: "new this week",
  up: "↑ up",
  down: "↓ down",
  flat: "→ same as last week",
};

function contactLabel(c: DigestContactView): string {
  const name = `*${escapeMrkdwn(c.displayName)}*`;
  return c.organization ? `${name} (${escapeMrkdwn(c.organization)})` : name;
}

function trendLabel(c: DigestContactView): string {
  return c.trend === "up" || c.trend === "down"
    ? `${TREND[c.trend]} from ${c.previousWeekMentions}`
    : TREND[c.trend];
}

function lunchLine(l: DigestLunchView): string {
  const people = escapeMrkdwn(joinNames([l.organizerName, ...l.attendeeNames]));
  const details = [l.when, l.place ? `at ${l.place}` : null].filter((d): d is string => d !== null);
  return `• ${people} with *${escapeMrkdwn(l.contactName)}*${details.length ? ` — ${escapeMrkdwn(details.join(" "))}` : ""}`;
}

function more(n: number): string[] {
  return n > 0 ? [`…and ${n} more`] : [];
}

export function digestBlocks(view: DigestView): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [header(view.title)];
  const subtitle = [view.workspaceName, view.periodLabel].filter(Boolean).map(escapeMrkdwn).join(" · ");
  if (subtitle) blocks.push(context(subtitle));

  if (view.isEmpty) {
    blocks.push(
      section("A quiet week: no tracked contacts were discussed, and no lunches were planned or held."),
    );
  } else {
    if (view.topContacts.length) {
      const lines = view.topContacts.map((c, i) => {
        const met = c.lastMet ? `last met ${c.lastMet}` : "never met";
        return `${i + 1}. ${contactLabel(c)} — ${plural(c.mentions, "mention")} from ${plural(c.teammates, "teammate")}, ${trendLabel(c)}; ${met}`;
      });
      blocks.push(
        section(`*${DIGEST_HEADINGS.topContacts}*\n${[...lines, ...more(view.moreTopContacts)].join("\n")}`),
      );

      const online = view.onlineOnly.map(
        (c) => `• ${contactLabel(c)} — ${c.lastMet ? `last met ${c.lastMet}` : "never met"}`,
      );
      const onlineText = online.length
        ? [...online, ...more(view.moreOnlineOnly)].join("\n")
        : `Nobody: everyone discussed this week was met in the last ${view.coverage.days} days.`;
      blocks.push(section(`*${DIGEST_HEADINGS.onlineOnly}*\n${onlineText}`));
    }
    if (view.lunchesPlanned.length) {
      blocks.push(
        section(`*${DIGEST_HEADINGS.lunchesPlanned}*\n${view.lunchesPlanned.map(lunchLine).join("\n")}`),
      );
    }
    if (view.lunchesHeld.length) {
      blocks.push(section(`*${DIGEST_HEADINGS.lunchesHeld}*\n${view.lunchesHeld.map(lunchLine).join("\n")}`));
    }
    if (view.tookItOffline.length) {
      const lines = view.tookItOffline.map(
        (m) => `• ${escapeMrkdwn(m.memberName)} met ${escapeMrkdwn(joinNames(m.contactNames))}`,
      );
      blocks.push(section(`*${DIGEST_HEADINGS.tookItOffline}*\n${lines.join("\n")}`));
    }
  }
  blocks.push(divider);
  blocks.push(
    section(
      `*${DIGEST_HEADINGS.coverage}: ${view.coverage.percentLabel}*\n${escapeMrkdwn(view.coverage.summary)}`,
    ),
  );
  blocks.push(
    context(
      "Take It Offline counts who mentioned which external people, never message text. `/offline help` for commands.",
    ),
  );
  return blocks;
}
