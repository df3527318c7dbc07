import { describe, expect, it } from "vitest";
import {
  classifyAlias,
  commandHelp,
  editDistance,
  helpText,
  LIMITS,
  type ParsedCommand,
  parseCommand,
  resolveDay,
  SUBCOMMANDS,
  suggest,
  USAGE,
} from "../../src/core/commands.ts";

function expectError(result: ParsedCommand): Extract<ParsedCommand, { kind: "error" }> {
  if (result.kind !== "error") throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  expect(result.message.length).toBeGreaterThan(0);
  expect(result.usage.length).toBeGreaterThan(0);
  return result;
}

describe("parseCommand: help and command names", () => {
  it.each<[string, ParsedCommand]>([
    ["", { kind: "help" }],
    ["   \n\t ", { kind: "help" }],
    ["?", { kind: "help" }],
    ["help", { kind: "help" }],
    ["HELP", { kind: "help" }],
    ["help Track", { kind: "help", topic: "track" }],
    ["help forget me", { kind: "help", topic: "forget-me" }],
    ["help forgetme", { kind: "help", topic: "forget-me" }],
    ["settings", { kind: "settings" }],
    ["Resume", { kind: "resume" }],
    ["unpause", { kind: "resume" }],
    ["stats", { kind: "stats" }],
    ["forget-me", { kind: "forget-me" }],
    ["forgetme", { kind: "forget-me" }],
    ["Forget Me", { kind: "forget-me" }],
    ["forget_me", { kind: "forget-me" }],
    ["/offline stats", { kind: "stats" }],
    ["\u200Bstats\u00A0", { kind: "stats" }],
  ])("%j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ["trak Jane", "track"],
    ["tarck Jane", "track"],
    ["contacs", "contacts"],
    ["sett", "settings"],
    ["forget", "forget-me"],
    ["lnch Jane", "lunch"],
    ["Digets", "digest"],
    ["tracking Jane", "track"],
  ])("unknown %j suggests %s and lists the commands", (text, suggestion) => {
    const error = expectError(parseCommand(text));
    expect(error.message).toContain(`Did you mean "${suggestion}"?`);
    expect(error.command).toBeUndefined();
    for (const command of SUBCOMMANDS) expect(error.usage).toContain(command);
  });

  it("does not suggest anything far off", () => {
    const error = expectError(parseCommand("banana split"));
    expect(error.message).toBe('I don\'t know the command "banana".');
  });

  it("points a bare mention at track", () => {
    expect(expectError(parseCommand("<@U123>")).message).toBe('Start with a command, e.g. "track <@U123>".');
  });

  it("forget-me asks first; `forget-me confirm` runs at once, anything else is refused", () => {
    expect(parseCommand("forget-me")).toEqual({ kind: "forget-me" });
    expect(parseCommand("forget me CONFIRM")).toEqual({ kind: "forget-me", confirmed: true });
    expect(expectError(parseCommand("forget-me now")).message).toContain('takes only "confirm"');
    expect(parseCommand("home")).toEqual({ kind: "home" });
  });

  it("rejects an unknown help topic", () => {
    const error = expectError(parseCommand("help lnuch"));
    expect(error.message).toContain('Did you mean "lunch"?');
    expect(error.command).toBe("help");
  });

  it.each(["settings now", "resume please", "stats x", "home sweet"])(
    "%j: no-argument commands say so",
    (text) => {
      const error = expectError(parseCommand(text));
      expect(error.message).toMatch(/takes no options/);
    },
  );
});

describe("parseCommand: track", () => {
  it.each<[string, ParsedCommand]>([
    [
      "track Jane Doe, jane@acme.com, @janedoe",
      {
        kind: "track",
        name: "Jane Doe",
        aliases: [
          { kind: "email", value: "jane@acme.com" },
          { kind: "handle", value: "@janedoe" },
        ],
      },
    ],
    [
      'track "Jane Doe" jane@acme.com @janedoe',
      {
        kind: "track",
        name: "Jane Doe",
        aliases: [
          { kind: "email", value: "jane@acme.com" },
          { kind: "handle", value: "@janedoe" },
        ],
      },
    ],
    [
      "TRACK Jane Doe jane@acme.com https://www.linkedin.com/in/jane-doe Janie D",
      {
        kind: "track",
        name: "Jane Doe",
        aliases: [
          { kind: "email", value: "jane@acme.com" },
          { kind: "url", value: "https://www.linkedin.com/in/jane-doe" },
          { kind: "name", value: "Janie D" },
        ],
      },
    ],
    [
      "track Jane Doe, jane@acme.com @jd linkedin.com/in/janedoe, J. Doe",
      {
        kind: "track",
        name: "Jane Doe",
        aliases: [
          { kind: "email", value: "jane@acme.com" },
          { kind: "handle", value: "@jd" },
          { kind: "url", value: "https://linkedin.com/in/janedoe" },
          { kind: "name", value: "J. Doe" },
        ],
      },
    ],
    ["track <@U123>", { kind: "track", name: "", aliases: [], userRef: { id: "U123" } }],
    [
      "track <@U123|jane.doe>",
      { kind: "track", name: "jane.doe", aliases: [], userRef: { id: "U123", name: "jane.doe" } },
    ],
    [
      "track <@U123|jane> Jane Doe, jane@acme.com",
      {
        kind: "track",
        name: "Jane Doe",
        aliases: [{ kind: "email", value: "jane@acme.com" }],
        userRef: { id: "U123", name: "jane" },
      },
    ],
    [
      "track Jane, <mailto:jane@acme.com|jane@acme.com>, <https://github.com/jane|github.com/jane>",
      {
        kind: "track",
        name: "Jane",
        aliases: [
          { kind: "email", value: "jane@acme.com" },
          { kind: "url", value: "https://github.com/jane" },
        ],
      },
    ],
    [
      // Duplicates and a repeat of the name itself are dropped.
      "track Jane Doe, jane@acme.com, JANE@acme.com, jane doe",
      { kind: "track", name: "Jane Doe", aliases: [{ kind: "email", value: "jane@acme.com" }] },
    ],
    [
      "track “José Núñez” jose@ejemplo.es",
      { kind: "track", name: "José Núñez", aliases: [{ kind: "email", value: "jose@ejemplo.es" }] },
    ],
    ["track O'Brien", { kind: "track", name: "O'Brien", aliases: [] }],
    [
      "track jane@acme.com Jane Doe",
      { kind: "track", name: "Jane Doe", aliases: [{ kind: "email", value: "jane@acme.com" }] },
    ],
  ])("%j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it("normalises decomposed unicode so names compare equal", () => {
    const decomposed = "track Jose\u0301";
    expect(parseCommand(decomposed)).toEqual({ kind: "track", name: "José", aliases: [] });
  });

  it.each([
    ["track", /Who should I track/],
    ["track ,,", /Who should I track/],
    ["track jane@acme.com, @jane", /Tell me the person's name/],
    ["track <@U1> <@U2>", /one person at a time; I found 2/],
    ['track "Jane Doe jane@acme.com', /opening quote " without a closing one/],
    [`track ${"x".repeat(101)}`, /That name is 101 characters long; the limit is 100/],
    [`track Jane, ${"y".repeat(201)}`, /alias is 201 characters long; the limit is 200/],
    ["track Jane, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11", /That's 11 aliases; the limit is 10/],
  ])("%j is a helpful error", (text, message) => {
    const error = expectError(parseCommand(text));
    expect(error.message).toMatch(message);
    expect(error.command).toBe("track");
    expect(error.usage).toContain(`Usage: /offline ${USAGE.track}`);
    expect(error.usage).toContain("Example: /offline track Jane Doe, jane@acme.com, @janedoe");
  });

  it("accepts exactly the limits", () => {
    const name = "n".repeat(LIMITS.name);
    const aliases = Array.from({ length: LIMITS.aliases }, (_, i) => `alias${i}@acme.com`);
    const result = parseCommand(`track ${name}, ${aliases.join(", ")}`);
    expect(result.kind).toBe("track");
    if (result.kind === "track") {
      expect(result.name).toBe(name);
      expect(result.aliases).toHaveLength(LIMITS.aliases);
    }
  });
});

describe("classifyAlias", () => {
  it.each([
    ["jane@acme.com", "email", "jane@acme.com"],
    ["mailto:jane@acme.com", "email", "jane@acme.com"],
    ["jane.o'neil+x@sub.acme.co.uk", "email", "jane.o'neil+x@sub.acme.co.uk"],
    ["@janedoe", "handle", "@janedoe"],
    ["@jane_doe.42", "handle", "@jane_doe.42"],
    ["https://example.com/jane", "url", "https://example.com/jane"],
    ["http://jane.dev", "url", "http://jane.dev"],
    ["linkedin.com/in/janedoe", "url", "https://linkedin.com/in/janedoe"],
    ["www.linkedin.com/in/jane-doe/", "url", "https://www.linkedin.com/in/jane-doe/"],
    ["x.com/janedoe", "url", "https://x.com/janedoe"],
    ["Jane Doe", "name", "Jane Doe"],
    ["jane@", "name", "jane@"],
    ["@", "name", "@"],
    ["https://", "name", "https://"],
    ["acme.com", "name", "acme.com"],
  ])("%j → %s", (raw, kind, value) => {
    expect(classifyAlias(raw)).toEqual({ kind, value });
  });
});

describe("parseCommand: untrack, ignore", () => {
  it.each<[string, ParsedCommand]>([
    ["untrack Jane Doe", { kind: "untrack", contact: { kind: "text", text: "Jane Doe" } }],
    ['untrack "Jane  Doe"', { kind: "untrack", contact: { kind: "text", text: "Jane Doe" } }],
    ["untrack <@U1|bob>", { kind: "untrack", contact: { kind: "user", id: "U1", name: "bob" } }],
    ["ignore jane@acme.com", { kind: "ignore", contact: { kind: "text", text: "jane@acme.com" } }],
    ["Ignore Doe, Jane", { kind: "ignore", contact: { kind: "text", text: "Doe, Jane" } }],
    ["ignore <@29:1a-b_c>", { kind: "ignore", contact: { kind: "user", id: "29:1a-b_c" } }],
  ])("%j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ["untrack", /Which contact\?/],
    ['ignore ""', /The contact is empty/],
    ["untrack <@U1> <@U2>", /Name one contact/],
    ["untrack <@U1> Jane", /Name one contact/],
    [`ignore ${"z".repeat(201)}`, /201 characters long; the limit is 200/],
  ])("%j is a helpful error", (text, message) => {
    const error = expectError(parseCommand(text));
    expect(error.message).toMatch(message);
    expect(error.usage).toMatch(/^Usage: \/offline (untrack|ignore) CONTACT\nExample: /);
  });
});

describe("parseCommand: contacts", () => {
  it.each<[string, ParsedCommand]>([
    ["contacts", { kind: "contacts", filter: "tracked" }],
    ["contacts tracked", { kind: "contacts", filter: "tracked" }],
    ["contacts Candidates", { kind: "contacts", filter: "candidate" }],
    ["contacts candidate", { kind: "contacts", filter: "candidate" }],
    ["contacts ignored", { kind: "contacts", filter: "ignored" }],
    ["contacts ALL", { kind: "contacts", filter: "all" }],
  ])("%j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it("suggests the closest list", () => {
    const error = expectError(parseCommand("contacts ignord"));
    expect(error.message).toContain('Did you mean "ignored"?');
    expect(expectError(parseCommand("contacts all tracked")).message).toMatch(/not a contact list/);
  });
});

describe("parseCommand: met", () => {
  it.each<[string, ParsedCommand]>([
    ["met Jane Doe", { kind: "met", contact: { kind: "text", text: "Jane Doe" }, on: "today" }],
    ["met Jane Doe today", { kind: "met", contact: { kind: "text", text: "Jane Doe" }, on: "today" }],
    [
      "met Jane Doe on Yesterday",
      { kind: "met", contact: { kind: "text", text: "Jane Doe" }, on: "yesterday" },
    ],
    [
      "met Jane Doe on 2024-02-29",
      { kind: "met", contact: { kind: "text", text: "Jane Doe" }, on: { year: 2024, month: 2, day: 29 } },
    ],
    [
      "met <@U9|jane> 2025-3-7",
      {
        kind: "met",
        contact: { kind: "user", id: "U9", name: "jane" },
        on: { year: 2025, month: 3, day: 7 },
      },
    ],
    [
      // Quoted text is literal, never a keyword.
      'met "Ron on Today"',
      { kind: "met", contact: { kind: "text", text: "Ron on Today" }, on: "today" },
    ],
  ])("%j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ["met Jane on 2025-02-29", "2025-02-29 is not a real date: February 2025 has 28 days."],
    ["met Jane on 2025-04-31", "2025-04-31 is not a real date: April 2025 has 30 days."],
    ["met Jane on 2025-13-01", "There is no month 13; months go from 01 to 12."],
    ["met Jane on 2025-01-00", "Days start at 01."],
    ["met Jane on 1900-01-01", "Pick a year between 1970 and 2100."],
    ["met Jane on Tuesday", 'I couldn\'t read the date "Tuesday". Use YYYY-MM-DD, today or yesterday.'],
    [
      "met Jane tomorrow",
      "You can only record a meeting that already happened: today, yesterday or a past date.",
    ],
    ["met yesterday", 'Who did you meet? Put the contact first, e.g. "met Jane Doe yesterday".'],
    ["met", 'Who did you meet? Put the contact first, e.g. "met Jane Doe yesterday".'],
  ])("%j → %s", (text, message) => {
    const error = expectError(parseCommand(text));
    expect(error.message).toBe(message);
    expect(error.command).toBe("met");
    expect(error.usage).toContain(`Usage: /offline ${USAGE.met}`);
  });
});

describe("resolveDay", () => {
  it.each([
    ["today", { year: 2026, month: 3, day: 1 }, { year: 2026, month: 3, day: 1 }],
    ["yesterday", { year: 2026, month: 3, day: 1 }, { year: 2026, month: 2, day: 28 }],
    ["yesterday", { year: 2024, month: 3, day: 1 }, { year: 2024, month: 2, day: 29 }],
    ["yesterday", { year: 2027, month: 1, day: 1 }, { year: 2026, month: 12, day: 31 }],
  ] as const)("%s from %j", (on, today, expected) => {
    expect(resolveDay(on, today)).toEqual(expected);
  });

  it("passes explicit dates through", () => {
    expect(resolveDay({ year: 2025, month: 5, day: 6 }, { year: 2026, month: 1, day: 1 })).toEqual({
      year: 2025,
      month: 5,
      day: 6,
    });
  });
});

describe("parseCommand: lunch", () => {
  it.each<[string, ParsedCommand]>([
    ["lunch Jane Doe", { kind: "lunch", contact: { kind: "text", text: "Jane Doe" }, with: [] }],
    [
      "lunch Jane Doe on 2025-03-14 12:30 at Cafe Nord with <@U1> <@U2|lee>",
      {
        kind: "lunch",
        contact: { kind: "text", text: "Jane Doe" },
        on: { year: 2025, month: 3, day: 14, hour: 12, minute: 30 },
        place: "Cafe Nord",
        with: [{ id: "U1" }, { id: "U2", name: "lee" }],
      },
    ],
    [
      "lunch <@U7> with <@U1>, <@U2> and <@U1> at The Deli, Main St on 2025-03-14",
      {
        kind: "lunch",
        contact: { kind: "user", id: "U7" },
        on: { year: 2025, month: 3, day: 14 },
        place: "The Deli, Main St",
        with: [{ id: "U1" }, { id: "U2" }],
      },
    ],
    [
      'lunch "Ana at Acme" on 2025-03-14 at 1:05pm at "Cafe on Main"',
      {
        kind: "lunch",
        contact: { kind: "text", text: "Ana at Acme" },
        on: { year: 2025, month: 3, day: 14, hour: 13, minute: 5 },
        place: "Cafe on Main",
        with: [],
      },
    ],
    [
      "LUNCH Jane ON 2025-03-14 12am",
      {
        kind: "lunch",
        contact: { kind: "text", text: "Jane" },
        on: { year: 2025, month: 3, day: 14, hour: 0, minute: 0 },
        with: [],
      },
    ],
  ])("%j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ["lunch", /Who is the lunch with\?/],
    ["lunch with <@U1>", /Who is the lunch with\?/],
    ["lunch Jane on tomorrow", /couldn't read the date "tomorrow"/],
    ["lunch Jane on 2025-02-30", /not a real date: February 2025 has 28 days/],
    ["lunch Jane on 2025-03-14 noon", /couldn't read the time "noon"/],
    ["lunch Jane on 2025-03-14 25:00", /couldn't read the time "25:00"/],
    ["lunch Jane at 12:30", /Add the day too/],
    ["lunch Jane on 2025-03-14 on 2025-03-15", /date is given twice/],
    ["lunch Jane at Deli at Cafe", /place is given twice/],
    ["lunch Jane on 2025-03-14 12:00 at 13:00", /time is given twice/],
    ["lunch Jane with Sam", /"with" takes teammates as @mentions, but "Sam" isn't one/],
    ["lunch Jane with", /Say who joins after "with"/],
    ["lunch Jane with <@U1> with <@U2>", /Teammates are given twice/],
    ["lunch Jane at", /Say where after "at"/],
    ["lunch Jane at Deli <@U1>", /Add teammates with "with"/],
    [`lunch Jane at ${"p".repeat(201)}`, /place is 201 characters long; the limit is 200/],
    [
      `lunch Jane with ${Array.from({ length: 21 }, (_, i) => `<@U${i}>`).join(" ")}`,
      /21 teammates; a lunch can have at most 20/,
    ],
  ])("%j is a helpful error", (text, message) => {
    const error = expectError(parseCommand(text));
    expect(error.message).toMatch(message);
    expect(error.command).toBe("lunch");
    expect(error.usage).toContain(`Usage: /offline ${USAGE.lunch}`);
  });
});

describe("parseCommand: digest", () => {
  it.each<[string, ParsedCommand]>([
    ["digest", { kind: "digest", mode: "preview" }],
    ["digest preview", { kind: "digest", mode: "preview" }],
    ["digest NOW", { kind: "digest", mode: "now" }],
    ["digest 2026-w53", { kind: "digest", mode: "preview", week: "2026-W53" }],
    ["digest now 2025-W1", { kind: "digest", mode: "now", week: "2025-W01" }],
    ["digest 2025-W11 preview", { kind: "digest", mode: "preview", week: "2025-W11" }],
  ])("%j", (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ["digest 2025-W53", '2025 has ISO weeks 01 to 52, so "2025-W53" doesn\'t exist.'],
    ["digest 2025-W00", '2025 has ISO weeks 01 to 52, so "2025-W00" doesn\'t exist.'],
    ["digest prevew", 'I don\'t know the digest option "prevew". Did you mean "preview"?'],
    ["digest preview now", 'Choose either "preview" or "now", not both.'],
    ["digest 2025-W01 2025-W02", "Give one week at most."],
    ["digest 2025-11", /Use preview or now, and optionally a week like \d{4}-W\d{2}\.$/],
  ])("%j → error", (text, message) => {
    const error = expectError(parseCommand(text));
    if (typeof message === "string") expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.command).toBe("digest");
  });
});

describe("parseCommand: pause", () => {
  it.each<[string, number | null]>([
    ["pause", null],
    ["pause indefinitely", null],
    ["pause 2w", 14],
    ["pause 10d", 10],
    ["pause 10 days", 10],
    ["pause 1 Week", 7],
    ["pause 365d", 365],
    ["pause 52w", 364],
  ])("%j → %s days", (text, days) => {
    expect(parseCommand(text)).toEqual({ kind: "pause", days });
  });

  it.each([
    [
      "pause 366d",
      "That's 366 days; you can pause for at most 365 days. Leave the number out to pause until you resume.",
    ],
    [
      "pause 53w",
      "That's 371 days; you can pause for at most 365 days. Leave the number out to pause until you resume.",
    ],
    ["pause 0d", "Pause for at least 1 day, or leave the number out to pause until you resume."],
    ["pause 3", "Say whether 3 is days or weeks: 3d or 3w."],
    [
      "pause 2 months",
      'I couldn\'t read "2 months" as a duration. Use a number of days or weeks, like 10d or 2w.',
    ],
    ["pause -1d", 'I couldn\'t read "-1d" as a duration. Use a number of days or weeks, like 10d or 2w.'],
    ["pause 99999999999999999999d", /couldn't read .* as a duration/],
  ])("%j → error", (text, message) => {
    const error = expectError(parseCommand(text));
    if (typeof message === "string") expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.usage).toBe(
      "Usage: /offline pause [Nd | Nw]\nExample: /offline pause  or  /offline pause 2w",
    );
  });
});

describe("parseCommand: never throws", () => {
  const nasty = [
    '"',
    '""',
    '"""',
    "“",
    "track “Jane",
    "<",
    ">",
    "<@",
    "<@>",
    "<@U1",
    "<<<@U1>>>",
    "track <@U1|<@U2>>",
    "lunch <@U1|> with <@U2|>",
    "\u0000\u0001\u0002",
    "\uD800",
    "track \uDFFF\uD800",
    "💥".repeat(5000),
    "a".repeat(10_000),
    `track ${"Jane ".repeat(1999)}`,
    `lunch ${"on ".repeat(1000)}`,
    `track ${"<".repeat(3000)}`,
    `met ${", ".repeat(1500)}`,
    "track \u202Eevil\u202C",
    "لغة عربية",
    "追跡 山田太郎",
    "help help help",
    "pause ∞",
    "digest 9999-W99",
    "met Jane on 0000-00-00",
    "lunch Jane on 2025-03-14 99:99pm",
  ];

  it.each(nasty.map((text) => [text.slice(0, 40), text]))("%j", (_, text) => {
    const result = parseCommand(text);
    expect(typeof result.kind).toBe("string");
    if (result.kind === "error") {
      expect(result.message).not.toMatch(/undefined|NaN|\[object/);
      expect(result.usage.length).toBeGreaterThan(0);
    }
  });

  it("caps the input length with a clear message", () => {
    const error = expectError(parseCommand(`track ${"a".repeat(10_000)}`));
    expect(error.message).toBe(
      "That command is 10006 characters long; the limit is 4000. Send one command at a time.",
    );
  });

  it("survives random input (seeded fuzz)", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const alphabet = [
      ..."abcdefghij @<>|\",:;-_/.?“”'\n\t0123456789wWdD",
      "on",
      "at",
      "with",
      "<@U1>",
      "é",
      "💥",
    ];
    const heads = [...SUBCOMMANDS, "", "forget me", "x"];
    for (let i = 0; i < 3000; i++) {
      const length = Math.floor(random() * 40);
      let body = "";
      for (let j = 0; j < length; j++) body += alphabet[Math.floor(random() * alphabet.length)];
      const text = `${heads[Math.floor(random() * heads.length)]} ${body}`;
      const result = parseCommand(text);
      expect(result.kind, text).toBeTypeOf("string");
      if (result.kind === "error") expect(result.message, text).not.toMatch(/undefined|NaN/);
    }
  });

  it("treats a non-string payload as an empty command", () => {
    expect(parseCommand(undefined as unknown as string)).toEqual({ kind: "help" });
  });
});

describe("help text and usage", () => {
  it("documents every subcommand", () => {
    expect(Object.keys(USAGE).sort()).toEqual([...SUBCOMMANDS].sort());
    const text = helpText();
    for (const command of SUBCOMMANDS) expect(text).toContain(`/offline ${USAGE[command]}`);
  });

  it("is plain text that renders the same in Slack mrkdwn and Teams", () => {
    expect(helpText()).not.toMatch(/[*_~`<>]/);
    for (const command of SUBCOMMANDS) expect(USAGE[command]).not.toMatch(/[*_~`<>]/);
  });

  it("takes the platform's prefix", () => {
    const teams = helpText({ prefix: "" });
    expect(teams).toContain("\ntrack NAME [, ALIAS …]\n");
    expect(teams).not.toContain("/offline");
    expect(commandHelp("pause", { prefix: "" })).toBe(
      [
        "pause [Nd | Nw]",
        "  Pause your nudges for N days or weeks (up to 365 days); no number pauses until you resume.",
        "  e.g. pause",
        "  e.g. pause 2w",
        "  e.g. pause 10d",
      ].join("\n"),
    );
    const error = expectError(parseCommand("pause 3", { prefix: "" }));
    expect(error.usage).toBe("Usage: pause [Nd | Nw]\nExample: pause  or  pause 2w");
  });

  it("dates its examples from the clock: a week ahead for a lunch, a week back for a meeting", () => {
    const now = new Date("2026-11-18T10:00:00Z");
    const help = helpText({ now });
    expect(help).toContain("e.g. /offline lunch Jane Doe on 2026-11-25 12:30 at Cafe Nord");
    expect(help).toContain("e.g. /offline met Jane Doe on 2026-11-11");
    // The week before last: a complete week (last week is what `digest` shows without one).
    expect(help).toContain("e.g. /offline digest preview 2026-W45");
    expect(help).not.toMatch(/\{\w+\}|2025/);
    expect(expectError(parseCommand("met Jane on", { now })).message).toBe(
      'Say when after "on": a date like 2026-11-11, today or yesterday.',
    );
    const lunch = expectError(parseCommand("lunch on", { now }));
    expect(lunch.message).toBe(
      'Who is the lunch with? Put the contact first, e.g. "lunch Jane Doe on 2026-11-25".',
    );
    expect(lunch.usage).toContain("Example: /offline lunch Jane Doe on 2026-11-25 12:30");
    expect(expectError(parseCommand("digest 2025-11", { now })).message).toMatch(/a week like 2026-W45\.$/);
  });

  it("shows only examples that parse", () => {
    for (const command of SUBCOMMANDS) {
      for (const line of helpText({ prefix: "" }).split("\n")) {
        if (!line.startsWith(`  e.g. ${command}`)) continue;
        const example = line.slice("  e.g. ".length).replace(/@(\w+)/g, "<@U_$1>");
        // `connect calendar` and `disconnect calendar` are both the calendar command.
        const kind = parseCommand(example).kind;
        expect(kind === "calendar" ? command : kind, example).toBe(example.split(" ")[0]);
      }
    }
  });
});

describe("suggestions", () => {
  it.each([
    ["track", "track", 0],
    ["trak", "track", 1],
    ["tarck", "track", 1],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
  ])("editDistance(%j, %j) = %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it.each([
    ["preveiw", ["preview", "now"], "preview"],
    ["no", ["preview", "now"], "now"],
    ["zzz", ["preview", "now"], null],
    ["x".repeat(100), ["preview"], null],
  ] as const)("suggest(%j) = %s", (word, options, expected) => {
    expect(suggest(word, options)).toBe(expected);
  });
});
