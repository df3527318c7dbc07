import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/core/commands.ts";
import {
  decodeEntities,
  normalizeTeamsText,
  stripTags,
  toTeamsMarkdown,
} from "../../../src/platforms/teams/text.ts";

const BOT = "28:bot";
const at = (id: string, name: string) => ({
  type: "mention" as const,
  mentioned: { id, name },
  text: `<at>${name}</at>`,
});

describe("normalizeTeamsText", () => {
  it("removes the bot mention and rewrites user mentions to the core's <@id|name> form", () => {
    const out = normalizeTeamsText(
      "<p><at>Take It Offline</at> lunch <at>Jane Doe</at> on 2026-03-10 with <at>Sam Lee</at></p>",
      [at(BOT, "Take It Offline"), at("29:jane", "Jane Doe"), at("29:sam", "Sam Lee")],
      BOT,
    );
    expect(out).toEqual({
      text: "lunch <@29:jane|Jane Doe> on 2026-03-10 with <@29:sam|Sam Lee>",
      botMentioned: true,
      users: [
        { id: "29:jane", name: "Jane Doe" },
        { id: "29:sam", name: "Sam Lee" },
      ],
    });
    // …which the shared grammar reads as user refs.
    expect(parseCommand(out.text, { prefix: "" })).toMatchObject({
      kind: "lunch",
      contact: { kind: "user", id: "29:jane", name: "Jane Doe" },
      with: [{ id: "29:sam", name: "Sam Lee" }],
    });
  });

  it("strips HTML, decodes entities, keeps line breaks", () => {
    const out = normalizeTeamsText(
      "<div>Tom &amp; Jerry&#39;s <b>deal</b></div><div>with &lt;ACME&gt;&nbsp;corp</div>",
      [],
      BOT,
    );
    expect(out.text).toBe("Tom & Jerry's deal\nwith <ACME> corp");
    expect(out.botMentioned).toBe(false);
  });

  it("handles the same person mentioned twice and mentions without entity text", () => {
    const out = normalizeTeamsText(
      "<at>Ann</at> and <at>Ann</at>",
      [at("29:ann", "Ann"), { type: "mention", mentioned: { id: "29:ann", name: "Ann" }, text: null }],
      BOT,
    );
    expect(out.text).toBe("<@29:ann|Ann> and <@29:ann|Ann>");
    expect(out.users).toEqual([{ id: "29:ann", name: "Ann" }]);
  });

  it("keeps a name as plain text when its id could not be written as a mention", () => {
    const out = normalizeTeamsText("hi <at>Odd</at>", [at("29:odd id>", "Odd")], BOT);
    expect(out.text).toBe("hi Odd");
    expect(out.users).toEqual([]);
  });

  it("notices a bot mention even when Teams did not put it in the text", () => {
    expect(normalizeTeamsText("help", [at(BOT, "Bot")], BOT)).toMatchObject({
      text: "help",
      botMentioned: true,
    });
  });
});

describe("text helpers", () => {
  it("stripTags and decodeEntities", () => {
    expect(stripTags("a<br/>b<p>c</p>d")).toBe("a\nbc\nd");
    expect(decodeEntities("&#x1F600; &#65; &bogus; &amp;amp;")).toBe("😀 A &bogus; &amp;");
  });

  it("toTeamsMarkdown makes each line a paragraph and shows mentions as names", () => {
    expect(toTeamsMarkdown("Line one\n\n  e.g. <@29:sam|Sam Lee>\nthen <@29:x>")).toBe(
      "Line one\n\n  e.g. Sam Lee\n\nthen that teammate",
    );
  });
});
