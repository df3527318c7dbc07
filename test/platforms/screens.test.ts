// Every message and form the bot sends, rendered as a person sees it (Teams cards by Microsoft's
// Adaptive Cards renderer, Slack blocks by src/devtools/render/slack-html.ts) in Debian's Chromium
// at 450 and 320 px, and checked: cards stay within Adaptive Cards 1.5, no button label is cut
// off, and no text shows a backtick, a raw <@…>, an HTML entity or an ISO timestamp.
//
// EXPECTED_FAILURES is the to-do list: what today's messages still get wrong. It is asserted
// exactly, so a fix that makes an entry pass fails this test until the entry is removed, and any
// new failure fails it too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, ScreenRenderer } from "../../src/devtools/render/browser.ts";
import { cardProblems } from "../../src/devtools/render/card-schema.ts";
import type { CheckName } from "../../src/devtools/render/checks.ts";
import { buildFixtures, type Fixtures } from "../../src/devtools/render/fixtures.ts";
import { checkScreens, fixtureNames } from "../../src/devtools/render/run.ts";
import { type BuiltScreen, buildScreens, SCREENS } from "../../src/devtools/render/screens.ts";
import { mrkdwnToHtml } from "../../src/devtools/render/slack-html.ts";
import { promptCard } from "../../src/platforms/teams/cards.ts";

type Expected = readonly [screen: string, check: CheckName, reason: string];

// Empty: every known failure is fixed. A new one fails the test until it is fixed or listed here
// with its reason.
const EXPECTED_FAILURES: readonly Expected[] = [];

const HAVE_CHROMIUM = ScreenRenderer.available();
const NO_CHROMIUM = `skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run installs it)`;
if (!HAVE_CHROMIUM) console.warn(`screens.test.ts ${NO_CHROMIUM}`);

const key = (screen: string, check: string) => `${screen} · ${check}`;

describe.skipIf(!HAVE_CHROMIUM)(`screens in Chromium${HAVE_CHROMIUM ? "" : ` (${NO_CHROMIUM})`}`, () => {
  let fixtures: Fixtures;
  let renderer: ScreenRenderer;
  beforeAll(async () => {
    fixtures = await buildFixtures();
    renderer = await ScreenRenderer.open(fixtureNames(fixtures));
  }, 60_000);
  afterAll(async () => {
    await renderer?.close();
  });

  it("every screen passes every check, except the known failures listed in EXPECTED_FAILURES", async () => {
    const screens = buildScreens(fixtures);
    // Every entry of the list is rendered, on at least one platform.
    expect(new Set(screens.map((s) => s.name.split("/")[1]))).toEqual(new Set(SCREENS.map(([id]) => id)));
    const { failures, rendered } = await checkScreens(renderer, screens);
    expect(rendered).toBe(screens.length * 2);
    const actual = failures.map((f) => key(f.screen, f.check)).sort();
    const expected = EXPECTED_FAILURES.map(([s, c]) => key(s, c)).sort();
    const report = failures.map((f) => `${key(f.screen, f.check)}: ${f.detail}`).join("\n");
    expect(actual, `check failures now:\n${report}`).toEqual(expected);
    expect(renderer.requests).toEqual([]);
  }, 60_000);

  it("each check catches what it is there for", async () => {
    const long = "Not an external contact: never ask me about this person again, please, not ever";
    const canaries: BuiltScreen[] = [
      {
        name: "teams/canary",
        platform: "teams",
        screen: {
          kind: "card",
          card: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.5",
            body: [
              { type: "TextBlock", text: "Say `resume` &amp; ask <@U0A> by 2026-11-19T12:30", wrap: true },
            ],
            actions: [{ type: "Action.Submit", title: long, data: {} }],
          },
        },
      },
      {
        name: "teams/canary-schema",
        platform: "teams",
        screen: {
          kind: "card",
          // A version, an element, a property and an action that 1.5 doesn't have.
          card: {
            ...promptCard(fixtures.prompts.one),
            version: "1.6" as "1.5",
            body: [
              { type: "Input.Rating", id: "r" },
              { type: "TextBlock", text: "x", lineHeight: 2 },
            ],
            actions: [{ type: "Action.Http", title: "Go", url: "https://example.com" }],
          },
        },
      },
      {
        // What the lunch and settings cards used to do: a required input without its message, and
        // a choice with an empty value. Microsoft's renderer warns about both.
        name: "teams/canary-inputs",
        platform: "teams",
        screen: {
          kind: "card",
          card: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.5",
            body: [
              { type: "Input.Date", id: "date", label: "Date", isRequired: true },
              {
                type: "Input.ChoiceSet",
                id: "channel",
                label: "Channel",
                choices: [{ title: "Nowhere", value: "" }],
              },
            ],
          },
        },
      },
      {
        name: "slack/canary",
        platform: "slack",
        screen: {
          kind: "message",
          blocks: [
            {
              type: "section",
              text: { type: "mrkdwn", text: "It`s &amp;amp; &lt;@U0A&gt; on 2026-11-19T12:30" },
            },
            {
              type: "actions",
              elements: [{ type: "button", text: { type: "plain_text", text: long }, action_id: "a" }],
            },
          ],
        },
      },
    ];
    const { failures } = await checkScreens(renderer, canaries);
    /** The failures of one screen, at any width. */
    const checks = (name: string) =>
      failures
        .filter((f) => f.screen === name || f.screen.startsWith(`${name}@`))
        .map((f) => key(f.screen, f.check))
        .sort();
    const text = ["text-backtick", "text-html-entity", "text-iso-timestamp", "text-raw-mention"];
    const everyCheck = (name: string) =>
      [
        key(`${name}@320`, "button-cut-off"),
        key(`${name}@450`, "button-cut-off"),
        ...text.map((c) => key(name, c)),
      ].sort();
    expect(checks("teams/canary")).toEqual(everyCheck("teams/canary"));
    expect(checks("teams/canary-schema").filter((k) => k.endsWith("card-1.5"))).toEqual([
      key("teams/canary-schema", "card-1.5"),
    ]);
    expect(checks("slack/canary")).toEqual(everyCheck("slack/canary"));
    expect(checks("teams/canary-inputs")).toEqual([key("teams/canary-inputs", "card-renderer-warning")]);
    const warned = failures.find((f) => f.screen === "teams/canary-inputs")?.detail ?? "";
    expect(warned.split("; ").length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe("Adaptive Cards 1.5 check", () => {
  it("accepts the prompt card and names every construct 1.5 lacks", async () => {
    const f = await buildFixtures();
    expect(cardProblems(promptCard(f.prompts.many))).toEqual([]);
    const problems = cardProblems({
      type: "AdaptiveCard",
      version: "1.6",
      body: [
        { type: "Input.Rating", id: "r" },
        { type: "TextBlock", text: "x", size: "Huge", lineHeight: 2 },
        { type: "ColumnSet", columns: [{ type: "Column", items: [{ type: "Carousel" }] }] },
      ],
      actions: [{ type: "Action.Submit", title: "Go", style: "primary" }, { type: "Action.Http" }],
    }).map((p) => `${p.path}: ${p.problem}`);
    expect(problems).toEqual([
      'card(AdaptiveCard).body[0]: element type "Input.Rating" is not in Adaptive Cards 1.5',
      'card(AdaptiveCard).body[1](TextBlock): size: "Huge" is not a 1.5 value',
      'card(AdaptiveCard).body[1](TextBlock): property "lineHeight" is not in TextBlock 1.5',
      'card(AdaptiveCard).body[2](ColumnSet).columns[0](Column).items[0]: element type "Carousel" is not in Adaptive Cards 1.5',
      'card(AdaptiveCard).actions[0](Action.Submit): style: "primary" is not a 1.5 value',
      'card(AdaptiveCard).actions[1]: element type "Action.Http" is not in Adaptive Cards 1.5',
      'card: version "1.6" is not 1.5',
    ]);
  });
});

describe("Slack mrkdwn as HTML", () => {
  const users = new Map([["U0A", "Zoë Müller"]]);
  it("renders formatting, links, mentions and Slack's entities as Slack shows them", () => {
    expect(
      mrkdwnToHtml(
        "*Take Inês* to _lunch_? <https://x.test|the form> <@U0A> <@U9|Bo> &amp; R&D `/offline help`",
        users,
      ),
    ).toBe(
      '<b>Take Inês</b> to <i>lunch</i>? <a href="#">the form</a> <span class="sk-mention">@Zoë Müller</span> <span class="sk-mention">@Bo</span> &amp; R&amp;D <code>/offline help</code>',
    );
    expect(mrkdwnToHtml("```a & b\nc```", users)).toBe("<pre>a &amp; b\nc</pre>");
    expect(mrkdwnToHtml("&lt;!channel&gt; <!here>", users)).toBe(
      '&lt;!channel&gt; <span class="sk-mention">@here</span>',
    );
  });
});
