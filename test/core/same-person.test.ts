import { describe, expect, it } from "vitest";
import { displayNameFromAlias, normalizeAlias, profileDisplayName } from "../../src/core/contacts.ts";
import { detect } from "../../src/core/detect/index.ts";
import { type ContactWithAliases, mergeOffers, slugMatchesName } from "../../src/core/same-person.ts";
import type { AliasKind } from "../../src/core/types.ts";

describe("slugMatchesName", () => {
  it.each([
    ["janedoe", "Jane Doe", "full"],
    ["jane.doe", "Jane Doe", "full"],
    ["jane_doe", "Jane Doe", "full"],
    ["@Jane_Doe87", "Jane Doe", "full"],
    ["doejane", "Jane Doe", "full"],
    ["bob-jones", "Bob Jones", "full"],
    ["mariagarcia", "María García", "full"],
    ["maryjanewatson", "Mary Jane Watson", "full"],
    ["maryWatson", "Mary Jane Watson", "full"],
    ["jdoe", "Jane Doe", "partial"],
    ["janed", "Jane Doe", "partial"],
    ["j.doe", "Jane Doe", "partial"],
    ["jane", "Jane Doe", "partial"],
    ["doe", "Jane Doe", "partial"],
    ["kumitaguchi", "Kumi Taguchi", "full"],
  ])("%s ~ %s: %s", (slug, name, expected) => {
    expect(slugMatchesName(slug, name)).toBe(expected);
  });

  it.each([
    ["janedoe-design", "Jane Doe"],
    ["jdoe", "John Smith"],
    ["jane", "Jane"],
    ["js", "Jane Smith"],
    ["northwind", "Jane Doe"],
    ["", "Jane Doe"],
  ])("%s is not %s", (slug, name) => {
    expect(slugMatchesName(slug, name)).toBeNull();
  });
});

describe("real-shaped messages: the name and the handle or link detect() finds, offered to merge", () => {
  /** One message's detections as contacts mentioned together (what MentionStore.coMentioned gives). */
  const offersFor = (text: string) => {
    const found = detect(text).filter((d) => d.kind === "person" || d.kind === "handle" || d.kind === "url");
    const contacts: ContactWithAliases[] = found.map((d, i) => {
      const kind: AliasKind = d.kind === "handle" || d.kind === "url" ? d.kind : "name";
      return {
        id: `c${i}`,
        displayName: displayNameFromAlias(kind, d.text),
        status: "candidate",
        aliases: [{ kind, normalized: normalizeAlias(kind, d.text), display: d.text }],
      };
    });
    const together = contacts.flatMap((a, i) => contacts.slice(i + 1).map((b) => [a.id, b.id] as const));
    return mergeOffers(contacts, together).map((o) => o.trackArgs);
  };

  it.each([
    // Shapes from the Broad Twitter Corpus (CC-BY 4.0), handles re-joined as chat writes them.
    [
      "Michael Niziolek (@michaelniziolek) is covering sports for Ann Arbor News",
      ["Michael Niziolek, @michaelniziolek"],
    ],
    [
      "Back Story: Kumi Taguchi (@kumitaguchi) reflects after reporting on PTSD",
      ["Kumi Taguchi, @kumitaguchi"],
    ],
    // Chat shapes.
    ["ping @jdoe, Jane Doe said she'd send the deck", ["Jane Doe, @jdoe"]],
    ["Jane Doe's talk was great, slides at github.com/janedoe/talks", ["Jane Doe, github.com/janedoe"]],
    [
      "Intro: Priya Raman — https://www.linkedin.com/in/priya-raman-4b2a1c9/",
      ["Priya Raman, linkedin.com/in/priya-raman-4b2a1c9"],
    ],
    ["cc @mgarcia on this, Maria Garcia owns the renewal", ["Maria Garcia, @mgarcia"]],
    ["Talked to Kenji Watanabe and @kenji_w about the pilot", ["Kenji Watanabe, @kenji_w"]],
    // A link whose slug is the initial and last name, beside the name in one message.
    ["Jane Doe's slides are up: https://github.com/jdoe/talks", ["Jane Doe, github.com/jdoe"]],
    ["Notes from Maria Garcia (x.com/garcia) on the launch", ["Maria Garcia, x.com/garcia"]],
  ])("%s", (text, expected) => {
    expect(offersFor(text)).toEqual(expected);
  });

  it.each([
    "Jane Doe and @bob_builder met at the meetup yesterday",
    "Jane Doe asked whether github.com/janedoe-design is hers, ask Priya Raman",
    "Kenji Watanabe liked the post by x.com/northwind_consulting",
    "@jdoe can you send the notes?",
    // Beside the name but nothing alike: not offered (the pair is only known to share a message).
    "Talked to Kenji Watanabe (@kw_builds) about the pilot",
  ])("nothing to offer: %s", (text) => {
    expect(offersFor(text)).toEqual([]);
  });
});

describe("mergeOffers", () => {
  const contact = (
    id: string,
    displayName: string,
    aliases: Array<[ContactWithAliases["aliases"][number]["kind"], string]>,
    status: ContactWithAliases["status"] = "candidate",
  ): ContactWithAliases => ({
    id,
    displayName,
    status,
    aliases: aliases.map(([kind, display]) => ({ kind, display, normalized: normalizeAlias(kind, display) })),
  });
  const jane = contact("c1", "Jane Doe", [["name", "Jane Doe"]]);
  const janeGithub = contact("c2", "janedoe (GitHub)", [["url", "https://github.com/JaneDoe"]]);
  const jdoe = contact("c3", "@jdoe", [["handle", "@jdoe"]]);
  const priya = contact("c4", "Priya Raman", [["name", "Priya Raman"]], "tracked");
  const priyaIn = contact("c5", "Priya Raman (LinkedIn)", [["url", "linkedin.com/in/priya-raman-4b2a1c9"]]);
  const other = contact("c6", "@bob_builder", [["handle", "@bob_builder"]]);

  it("offers a name and a link whose slug spells it, wherever they were seen", () => {
    expect(mergeOffers([jane, janeGithub, jdoe, priya, priyaIn, other])).toEqual([
      {
        namedId: "c1",
        otherId: "c2",
        name: "Jane Doe",
        alias: "github.com/janedoe",
        why: "slug",
        trackArgs: "Jane Doe, github.com/janedoe",
      },
      {
        namedId: "c4",
        otherId: "c5",
        name: "Priya Raman",
        alias: "linkedin.com/in/priya-raman-4b2a1c9",
        why: "slug",
        trackArgs: "Priya Raman, linkedin.com/in/priya-raman-4b2a1c9",
      },
    ]);
  });

  it("offers a partial match (@jdoe) only for contacts seen together in a message", () => {
    expect(mergeOffers([jane, jdoe]).length).toBe(0);
    expect(mergeOffers([jane, jdoe], [["c3", "c1"]])).toMatchObject([
      { namedId: "c1", otherId: "c3", why: "together", trackArgs: "Jane Doe, @jdoe" },
    ]);
  });

  it("leaves ignored contacts alone", () => {
    expect(mergeOffers([{ ...jane, status: "ignored" }, janeGithub])).toEqual([]);
  });
});

describe("display names for profile links", () => {
  it.each([
    ["https://github.com/jdoe", "jdoe (GitHub)"],
    ["x.com/Jane_Doe", "jane_doe (X)"],
    ["https://twitter.com/jdoe", "jdoe (X)"],
    ["https://www.linkedin.com/in/bob-jones-4b2a1c9/", "Bob Jones (LinkedIn)"],
    ["linkedin.com/in/bjones1987", "bjones1987 (LinkedIn)"],
    ["https://www.linkedin.com/in/maximilian-von-hohenberg-4b2a1c9", "Maximilian von Hohenberg (LinkedIn)"],
    ["linkedin.com/in/ana-de-la-cruz", "Ana de la Cruz (LinkedIn)"],
    ["https://bsky.app/profile/jane.bsky.social", "jane.bsky.social (Bluesky)"],
  ])("%s → %s", (url, expected) => {
    expect(profileDisplayName(url)).toBe(expected);
    expect(displayNameFromAlias("url", url)).toBe(expected);
  });

  it("keeps links it doesn't know as they are", () => {
    expect(profileDisplayName("https://acme.com/team/jane")).toBeNull();
    expect(displayNameFromAlias("url", "https://acme.com/team/jane")).toBe("https://acme.com/team/jane");
  });
});
