import type { types } from "@slack/bolt";
import { helpText } from "../../core/commands.ts";
import { homeDoc } from "../../core/messages/home.ts";
import type { LunchSlotOffer } from "../../core/messages/lunch-form.ts";
import { OUTCOME_TITLES } from "../../core/messages/prompt.ts";
import type { Workspace } from "../../core/types.ts";
import { digestBlocks } from "../../platforms/slack/render/digest.ts";
import { docMessage } from "../../platforms/slack/render/doc.ts";
import { homeView } from "../../platforms/slack/render/home.ts";
import { lunchModal, settingsModal } from "../../platforms/slack/render/modals.ts";
import { outcomeMessage, promptMessage } from "../../platforms/slack/render/prompt.ts";
import {
  type AdaptiveCard,
  digestCard,
  lunchFormCard,
  outcomeCard,
  promptCard,
  settingsCard,
  settingsSavedCard,
} from "../../platforms/teams/cards.ts";
import { docCard } from "../../platforms/teams/render-doc.ts";
import { toTeamsMarkdown } from "../../platforms/teams/text.ts";
import { type Fixtures, NOW, TZ } from "./fixtures.ts";

// Every message and form the bot sends, on each platform, built by the real renderers from the
// fixtures. One line per screen: adding a message to the product means adding a line here.

export type SlackScreen =
  | { kind: "message"; blocks: types.KnownBlock[] }
  | { kind: "modal"; view: types.ModalView; errors?: Record<string, string> }
  | { kind: "home"; view: types.HomeView };

export type TeamsScreen = { kind: "card"; card: AdaptiveCard } | { kind: "text"; markdown: string };

export interface ScreenPair {
  slack?: SlackScreen;
  teams?: TeamsScreen;
}

const msg = (m: { blocks: types.KnownBlock[] }): SlackScreen => ({ kind: "message", blocks: m.blocks });
const card = (c: AdaptiveCard): TeamsScreen => ({ kind: "card", card: c });
const both = (slack: SlackScreen, teams: TeamsScreen): ScreenPair => ({ slack, teams });

function lunchForm(
  f: Fixtures,
  state?: { values: Record<string, string>; errors: Record<string, string> },
  slots?: LunchSlotOffer,
): ScreenPair {
  const errors = state?.errors;
  const contactName = f.prompts.many.kind === "lunch" ? f.prompts.many.contactName : "";
  const meta = { contactId: "c-ines", nudgeId: "n1", channel: "D1", ts: "1.2" };
  const teammates = f.teammates.slice(0, 4).map((t) => t.platformUserId);
  return both(
    {
      kind: "modal",
      view: lunchModal({
        contactName,
        meta,
        teammates,
        initialDate: f.initialDate,
        ...(slots ? { slots } : {}),
      }),
      ...(errors ? { errors } : {}),
    },
    card(
      lunchFormCard(
        {
          nudgeId: "n1",
          contactId: "c-ines",
          contactName,
          teammates: f.teammates,
          today: f.today,
          initialDate: f.initialDate,
          ...(slots ? { slots } : {}),
        },
        state ?? {},
      ),
    ),
  );
}

/** The same workspace as Teams knows it: channels are Teams conversation ids. */
const teamsWorkspace = (f: Fixtures) => ({
  ...f.workspace,
  platform: "teams" as const,
  digestChannel: "19:general",
});

/** The workspace as the settings-with-errors fixture typed it, to show what Slack's open modal holds. */
function typedSettings(f: Fixtures): Workspace {
  const v = f.settingsErrors.values;
  const n = (name: string, fallback: number) => (v[name] !== undefined ? Number(v[name]) : fallback);
  const s = f.workspace.settings;
  return {
    ...f.workspace,
    timezone: v.timezone ?? f.workspace.timezone,
    settings: {
      ...s,
      workingHourStart: n("workingHourStart", s.workingHourStart),
      workingHourEnd: n("workingHourEnd", s.workingHourEnd),
      mentionThreshold: n("mentionThreshold", s.mentionThreshold),
      lunchEnd: v.lunchEnd ?? s.lunchEnd,
    },
  };
}

const CHANNELS = [
  { channelId: "19:general", name: "General" },
  { channelId: "19:c0ffee@thread.tacv2", name: "" },
];

export const SCREENS: ReadonlyArray<readonly [id: string, build: (f: Fixtures) => ScreenPair]> = [
  ["prompt-0-teammates", (f) => both(msg(promptMessage(f.prompts.none)), card(promptCard(f.prompts.none)))],
  ["prompt-1-teammate", (f) => both(msg(promptMessage(f.prompts.one)), card(promptCard(f.prompts.one)))],
  ["prompt-14-teammates", (f) => both(msg(promptMessage(f.prompts.many)), card(promptCard(f.prompts.many)))],
  ["candidate", (f) => both(msg(promptMessage(f.candidate)), card(promptCard(f.candidate)))],
  ["follow-up", (f) => both(msg(promptMessage(f.followUp)), card(promptCard(f.followUp)))],
  [
    "outcome-planned",
    (f) =>
      both(
        msg(outcomeMessage(f.outcomes.planned, OUTCOME_TITLES.lunchPlanned)),
        card(outcomeCard({ text: f.outcomes.planned }, OUTCOME_TITLES.lunchPlanned)),
      ),
  ],
  [
    "outcome-snoozed",
    (f) => both(msg(outcomeMessage(f.outcomes.snoozed)), card(outcomeCard({ text: f.outcomes.snoozed }))),
  ],
  [
    "outcome-met",
    (f) => both(msg(outcomeMessage(f.outcomes.met)), card(outcomeCard({ text: f.outcomes.met }))),
  ],
  ["outcome-not-contact", (f) => both(msg(docMessage(f.docs.hidden)), card(docCard(f.docs.hidden)))],
  // "Not an external contact" when other teammates discuss the contact: asked first.
  ["confirm-hide", (f) => both(msg(docMessage(f.docs.confirmHide)), card(docCard(f.docs.confirmHide)))],
  ["outcome-undone", (f) => both(msg(docMessage(f.docs.undone)), card(docCard(f.docs.undone)))],
  ["confirm-forget-me", (f) => both(msg(docMessage(f.docs.forgetMe)), card(docCard(f.docs.forgetMe)))],
  [
    "outcome-lunch-updated",
    (f) => both(msg(outcomeMessage(f.outcomes.updated)), card(outcomeCard({ text: f.outcomes.updated }))),
  ],
  [
    "outcome-tracked",
    (f) => both(msg(outcomeMessage(f.outcomes.tracked)), card(outcomeCard({ text: f.outcomes.tracked }))),
  ],
  [
    "follow-up-yes",
    (f) =>
      both(msg(outcomeMessage(f.outcomes.followUpYes)), card(outcomeCard({ text: f.outcomes.followUpYes }))),
  ],
  ["follow-up-later", (f) => both(msg(docMessage(f.docs.later)), card(docCard(f.docs.later)))],
  [
    "follow-up-no",
    (f) =>
      both(msg(outcomeMessage(f.outcomes.followUpNo)), card(outcomeCard({ text: f.outcomes.followUpNo }))),
  ],
  // After an install or an import: the admins' review of who was found, then two rows answered.
  ["review", (f) => both(msg(docMessage(f.docs.review)), card(docCard(f.docs.review)))],
  [
    "review-answered",
    (f) => both(msg(docMessage(f.docs.reviewAnswered)), card(docCard(f.docs.reviewAnswered))),
  ],
  [
    "home-review",
    (f) => both({ kind: "home", view: homeView(f.docs.reviewHome) }, card(docCard(f.docs.reviewHome))),
  ],
  ["lunch-form", (f) => lunchForm(f)],
  ["lunch-form-errors", (f) => lunchForm(f, f.lunchErrors)],
  ["lunch-form-past-date", (f) => lunchForm(f, f.pastDate)],
  // Times from the calendars: free slots to pick from, and the line shown when there are none.
  ["lunch-form-slots", (f) => lunchForm(f, undefined, f.slots.free)],
  ["lunch-form-connect-calendar", (f) => lunchForm(f, undefined, f.slots.connect)],
  ["lunch-form-calendar-unavailable", (f) => lunchForm(f, undefined, f.slots.unavailable)],
  ["lunch-form-no-free-slot", (f) => lunchForm(f, undefined, f.slots.noneFree)],
  [
    "settings-form",
    (f) =>
      both(
        { kind: "modal", view: settingsModal(f.workspace) },
        card(settingsCard(teamsWorkspace(f), CHANNELS)),
      ),
  ],
  [
    "settings-form-errors",
    (f) =>
      both(
        // Slack keeps what was typed in the open modal itself and only the errors come back: draw
        // the modal with the typed values.
        { kind: "modal", view: settingsModal(typedSettings(f)), errors: f.settingsErrors.errors },
        card(settingsCard(teamsWorkspace(f), CHANNELS, f.settingsErrors)),
      ),
  ],
  ["settings-saved", (f) => ({ teams: card(settingsSavedCard(teamsWorkspace(f), "General")) })],
  [
    "help",
    // Slack sends help as a code block (listeners/commands.ts); Teams as markdown text (bot.ts).
    () =>
      both(
        {
          kind: "message",
          blocks: [
            { type: "section", text: { type: "mrkdwn", text: `\`\`\`${helpText({ now: NOW })}\`\`\`` } },
          ],
        },
        { kind: "text", markdown: toTeamsMarkdown(helpText({ prefix: "", now: NOW })) },
      ),
  ],
  [
    "digest-full-week",
    (f) => both(msg({ blocks: digestBlocks(f.digests.full) }), card(digestCard(f.digests.full))),
  ],
  [
    "digest-quiet-week",
    (f) => both(msg({ blocks: digestBlocks(f.digests.quiet) }), card(digestCard(f.digests.quiet))),
  ],
  [
    "digest-0-percent",
    (f) => both(msg({ blocks: digestBlocks(f.digests.zero) }), card(digestCard(f.digests.zero))),
  ],
  // A meeting mentioned in chat: record it? And calendar meetings counted, under a prompt.
  ["met-chat-question", (f) => both(msg(docMessage(f.noticed.question)), card(docCard(f.noticed.question)))],
  [
    "prompt-counted-from-calendar",
    (f) => both(msg(promptMessage(f.noticed.prompt)), card(promptCard(f.noticed.prompt))),
  ],
  [
    "home",
    // The personal view: App Home on Slack, the `home` card in the Teams personal chat.
    (f) => {
      const doc = homeDoc(f.home.active, { now: NOW, timeZone: TZ });
      return both({ kind: "home", view: homeView(doc) }, card(docCard(doc)));
    },
  ],
  [
    "home-paused",
    (f) => {
      const doc = homeDoc(f.home.paused, { now: NOW, timeZone: TZ });
      return both({ kind: "home", view: homeView(doc) }, card(docCard(doc)));
    },
  ],
];

export interface BuiltScreen {
  /** "slack/prompt-0-teammates" */
  name: string;
  platform: "slack" | "teams";
  screen: SlackScreen | TeamsScreen;
}

export function buildScreens(f: Fixtures): BuiltScreen[] {
  return SCREENS.flatMap(([id, build]) => {
    const pair = build(f);
    return [
      ...(pair.slack ? [{ name: `slack/${id}`, platform: "slack" as const, screen: pair.slack }] : []),
      ...(pair.teams ? [{ name: `teams/${id}`, platform: "teams" as const, screen: pair.teams }] : []),
    ];
  });
}
