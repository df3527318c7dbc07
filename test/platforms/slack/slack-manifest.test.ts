import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { buildDigest } from "../../../src/core/digest.ts";
import { calendarConnectDoc } from "../../../src/core/messages/calendar.ts";
import { homeDoc } from "../../../src/core/messages/home.ts";
import { metQuestionDoc } from "../../../src/core/messages/noticed.ts";
import { forgetMeConfirmDoc, hiddenDoc, hideConfirmDoc } from "../../../src/core/messages/prompt.ts";
import { reviewDoc } from "../../../src/core/messages/review.ts";
import { defaultSettings } from "../../../src/core/settings.ts";
import {
  BOT_SCOPES,
  COMMAND,
  HANDLED_ACTIONS,
  HANDLED_EVENTS,
  HANDLED_VIEWS,
  LEGACY_ACTIONS,
  LISTENED_EVENT_TYPES,
} from "../../../src/platforms/slack/ids.ts";
import { digestBlocks } from "../../../src/platforms/slack/render/digest.ts";
import { docMessage } from "../../../src/platforms/slack/render/doc.ts";
import { homeView } from "../../../src/platforms/slack/render/home.ts";
import { lunchModal, settingsModal } from "../../../src/platforms/slack/render/modals.ts";
import { promptMessage } from "../../../src/platforms/slack/render/prompt.ts";

// The manifest and the code must agree in both directions: every event, command and scope the
// code relies on is declared, and nothing is declared that no code handles.

const manifestSchema = z.object({
  display_information: z.object({ name: z.string().min(1), description: z.string().min(1) }),
  features: z.object({
    app_home: z.object({
      home_tab_enabled: z.boolean(),
      messages_tab_enabled: z.boolean(),
      messages_tab_read_only_enabled: z.boolean().optional(),
    }),
    bot_user: z.object({ display_name: z.string() }),
    slash_commands: z.array(
      z.object({ command: z.string(), url: z.string(), description: z.string(), should_escape: z.boolean() }),
    ),
  }),
  oauth_config: z.object({
    redirect_urls: z.array(z.string()),
    scopes: z.object({ bot: z.array(z.string()) }),
  }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.string(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.boolean(), request_url: z.string() }),
    socket_mode_enabled: z.boolean(),
  }),
});

const manifest = manifestSchema.parse(
  parse(readFileSync(new URL("../../../manifests/slack/manifest.yaml", import.meta.url), "utf8")),
);

/** Every action_id on a button in what the app renders. */
function renderedActionIds(): Set<string> {
  const ids = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if ((o.type === "button" || o.type === "overflow") && typeof o.action_id === "string")
        ids.add(o.action_id);
      Object.values(o).forEach(walk);
    }
  };
  walk(
    promptMessage({
      kind: "lunch",
      nudgeId: "n",
      contactId: "c",
      contactName: "A",
      organization: null,
      reason: "r",
      teammateNames: [],
      mentionCount: 3,
      // A meeting counted from the calendar, with its Undo.
      counted: [{ noticeId: "m", contactName: "A", day: "2026-12-01" }],
    }),
  );
  // The question about a meeting mentioned in chat.
  walk(docMessage(metQuestionDoc({ noticeId: "m", contactName: "A", day: "2026-12-01" })));
  walk(
    promptMessage({
      kind: "candidate",
      nudgeId: "n",
      contactId: "c",
      contactName: "A",
      question: "q",
      reason: "r",
    }),
  );
  walk(promptMessage({ kind: "follow-up", lunchId: "l", contactName: "A", when: null, place: null }));
  // The digest's Plan lunch beside each still-online-only contact.
  walk(
    digestBlocks(
      buildDigest({
        workspaceName: "w",
        week: "2026-W47",
        now: new Date("2026-11-23T00:00:00Z"),
        settings: { digestTopN: 20, coverageDays: 90 },
        weekContacts: [
          {
            contactId: "c1",
            displayName: "A",
            organization: null,
            mentions: 3,
            previousWeekMentions: 0,
            teammates: 1,
            lastMetAt: null,
            status: "tracked",
          },
        ],
        coverageContacts: [],
        lunchesPlanned: [],
        lunchesHeld: [],
        meetings: [],
      }),
    ),
  );
  const numbers = {
    days: 30,
    team: { contacts: 0, met: 0, lunchesPlanned: 0, lunchesHeld: 0 },
    mine: { contacts: 0, prompts: 0 },
  };
  for (const paused of [false, true]) {
    for (const optedOut of [false, true])
      walk(
        homeView(
          homeDoc(
            { paused, pausedUntil: null, optedOut, contacts: [], prompts: [], lunches: [], numbers },
            { now: new Date(), timeZone: "UTC" },
          ),
        ),
      );
  }
  // A hide asked first, its outcome with Undo, forget-me's question.
  walk(docMessage(hideConfirmDoc({ nudgeId: "n", contactName: "A", teammates: 2 })));
  walk(docMessage(hiddenDoc({ nudgeId: "n", contactName: "A" })));
  walk(docMessage(forgetMeConfirmDoc("m")));
  // App Home's Connect calendar, and the consent link it answers with.
  walk(
    homeView(
      homeDoc(
        {
          paused: false,
          pausedUntil: null,
          optedOut: false,
          contacts: [],
          prompts: [],
          lunches: [],
          numbers,
          calendar: { connected: null },
        },
        { now: new Date(), timeZone: "UTC" },
      ),
    ),
  );
  walk(docMessage(calendarConnectDoc([{ provider: "google", url: "https://accounts.example/consent" }])));
  // A review with a row waiting (Track / Not external / Ignore) and one answered (Undo).
  const row = {
    name: "A",
    organization: null,
    mentions: 2,
    teammates: 1,
    nameOnly: false,
    status: "candidate",
  } as const;
  walk(
    docMessage(
      reviewDoc({
        reviewId: "r",
        days: 365,
        mergeOffers: [],
        rows: [
          { ...row, contactId: "c1", decision: null },
          { ...row, contactId: "c2", decision: "track", status: "tracked" },
        ],
      }),
    ),
  );
  return ids;
}

describe("Slack manifest", () => {
  it("subscribes to exactly the events the app handles", () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...HANDLED_EVENTS].sort());
    // message.channels / message.groups arrive as `message`; the listeners cover every declared event.
    const types = new Set(HANDLED_EVENTS.map((e) => e.split(".")[0]));
    expect([...types].sort()).toEqual([...LISTENED_EVENT_TYPES].sort());
  });

  it("declares the one slash command, escaped, on the events URL", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
    expect(manifest.features.slash_commands[0]).toMatchObject({
      should_escape: true,
      url: expect.stringMatching(/\/slack\/events$/),
    });
  });

  it("enables interactivity for the buttons and modals the app handles", () => {
    expect(HANDLED_ACTIONS.length).toBeGreaterThan(0);
    expect(HANDLED_VIEWS.length).toBeGreaterThan(0);
    expect(manifest.settings.interactivity).toMatchObject({
      is_enabled: true,
      request_url: expect.stringMatching(/\/slack\/events$/),
    });
    // Every button the app renders has a handler, and every handler has a button (or had one, on
    // prompts already sent).
    expect([...renderedActionIds(), ...LEGACY_ACTIONS].sort()).toEqual([...HANDLED_ACTIONS].sort());
    expect(
      [
        lunchModal({
          contactName: "A",
          meta: { contactId: "c", nudgeId: null, channel: null, ts: null },
          teammates: [],
          initialDate: "2026-01-01",
        }).callback_id,
        settingsModal({
          id: "w",
          platform: "slack",
          externalId: "T",
          name: "",
          timezone: "UTC",
          digestChannel: null,
          digestDay: 1,
          digestHour: 9,
          settings: defaultSettings,
          uninstalledAt: null,
        }).callback_id,
      ].sort(),
    ).toEqual([...HANDLED_VIEWS].sort());
  });

  it("asks for exactly the bot scopes the code uses", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it("has the App Home tab, HTTP delivery by default and the OAuth redirect", () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.oauth_config.redirect_urls).toEqual([expect.stringMatching(/\/slack\/oauth_redirect$/)]);
  });

  it("renders digest blocks without unknown block types", () => {
    const kinds = new Set(
      digestBlocks({
        title: "t",
        workspaceName: "w",
        week: "2026-W47",
        periodLabel: "",
        periodName: "Last week",
        topContacts: [],
        moreTopContacts: 0,
        onlineOnly: [],
        moreOnlineOnly: 0,
        metRecently: [],
        moreMetRecently: 0,
        lunchesPlanned: [],
        lunchesHeld: [],
        coverage: { met: 0, total: 0, ratio: null, percentLabel: "n/a", summary: "s", topN: 20, days: 90 },
        previousCoverage: null,
        tookItOffline: [],
        isEmpty: true,
        fallbackText: "",
      }).map((b) => b.type),
    );
    expect([...kinds].every((k) => ["header", "context", "section", "divider"].includes(k))).toBe(true);
  });
});
