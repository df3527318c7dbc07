import { describe, expect, it } from "vitest";
import { normalizeAlias } from "../../src/core/contacts.ts";
import { detect, TeammateDirectory } from "../../src/core/detect/index.ts";
import { accountSlug, buildRoster, isTeammates, type RosterMember } from "../../src/core/teammates.ts";

// "Is this email, handle or profile link a teammate's?" on the shapes real exports hold: a
// community workspace whose members sign up with gmail, post their own GitHub and X links, and
// sign messages with their work address; and outsiders whose slugs come close.

const jane: RosterMember = {
  displayName: "Jane Doe",
  realName: "Jane Doe",
  handle: "jane",
  email: "jane.d.1987@gmail.com",
};
const raj: RosterMember = { displayName: "raj", realName: "Rajesh Kumar", handle: "rkumar", email: null };
const mei: RosterMember = {
  displayName: "Mei",
  realName: "Mei-Ling Chen",
  handle: "meiling",
  email: "mchen@acme.com",
};
const members = [jane, raj, mei];
const roster = buildRoster(members, { name: "Acme", internalDomains: ["acme.com"] });

/** Every email, handle and link detect() finds in `text`, judged. */
function judged(text: string, author?: RosterMember): Array<[string, boolean]> {
  return detect(text, { names: false })
    .filter((d) => d.kind === "email" || d.kind === "handle" || d.kind === "url")
    .map((d) => [d.normalized, isTeammates(d, roster, author)]);
}

const url = (value: string) => ({ kind: "url" as const, normalized: normalizeAlias("url", value) });
const handle = (value: string) => ({ kind: "handle" as const, normalized: normalizeAlias("handle", value) });
const email = (value: string) => ({ kind: "email" as const, normalized: normalizeAlias("email", value) });

describe("isTeammates: members' own addresses", () => {
  it("an address exactly as in users.json is the member's, public mail domains included", () => {
    expect(judged("you can reach me at Jane.D.1987@gmail.com")).toEqual([["jane.d.1987@gmail.com", true]]);
    expect(isTeammates(email("mchen@acme.com"), roster)).toBe(true);
  });

  it("another gmail address is somebody else's", () => {
    expect(isTeammates(email("jane.doe.design@gmail.com"), roster)).toBe(false);
    expect(isTeammates(email("d.1987@gmail.com"), roster)).toBe(false);
  });

  it("the work address in a member's own signature is theirs", () => {
    const text = "Thanks!\n--\nJane Doe | Data Engineer, Stripe\njane.doe@stripe.com | +1 415 555 0100";
    expect(judged(text, jane)).toEqual([["jane.doe@stripe.com", true]]);
    expect(judged("Rajesh Kumar\nrajesh.kumar@infosys.com", raj)).toEqual([
      ["rajesh.kumar@infosys.com", true],
    ]);
  });

  it("the same address posted by someone else, and an outsider's, stay contacts", () => {
    expect(judged("Jane, ask jane.doe@stripe.com about the pilot", raj)).toEqual([
      ["jane.doe@stripe.com", false],
    ]);
    expect(judged("Jane Doe\npriya.s@stripe.com", jane)).toEqual([["priya.s@stripe.com", false]]);
  });
});

describe("isTeammates: handles and profile links", () => {
  it("a link whose slug is a member's full name, handle or email local part is theirs, whoever posts it", () => {
    for (const link of [
      "https://github.com/janedoe",
      "https://x.com/jane_doe",
      "twitter.com/Jane-Doe",
      "https://www.linkedin.com/in/jane-doe-4b2a1c9/",
      "github.com/rkumar",
      "https://github.com/mchen",
      "https://github.com/rajeshkumar",
      "https://bsky.app/profile/meilingchen.bsky.social",
    ]) {
      expect(isTeammates(url(link), roster), link).toBe(true);
    }
    expect(judged("my github: https://github.com/JaneDoe/", jane)).toEqual([["github.com/janedoe", true]]);
    expect(judged("@janedoe has the notebook, see x.com/jane_doe", raj)).toEqual([
      ["@janedoe", true],
      ["x.com/jane_doe", true],
    ]);
  });

  it("a first name alone is a member's only as their handle, their @-name, or from themselves", () => {
    // jane's Slack username is "jane": github.com/jane may be hers.
    expect(isTeammates(url("github.com/jane"), roster)).toBe(true);
    // "Mei" is a display name and a first name: someone else's GitHub, unless Mei posts it.
    expect(isTeammates(url("github.com/mei"), roster)).toBe(false);
    expect(isTeammates(url("github.com/mei"), roster, mei)).toBe(true);
    // Slack shows display names after "@": "@raj" in a message is the teammate.
    expect(isTeammates(handle("@raj"), roster)).toBe(true);
    expect(isTeammates(url("x.com/raj"), roster)).toBe(false);
  });

  it("the usual handle shapes of a name count when the member posts them", () => {
    expect(isTeammates(url("github.com/jdoe"), roster)).toBe(false);
    expect(isTeammates(url("github.com/jdoe"), roster, jane)).toBe(true);
    expect(isTeammates(url("x.com/rajeshk"), roster, raj)).toBe(true);
  });

  it("near misses stay contacts", () => {
    for (const link of [
      "github.com/janedoe-design", // an outside Jane's studio
      "github.com/janedoe42",
      "x.com/janesmith", // another Jane
      "linkedin.com/in/jane-miller",
      "github.com/kumar-labs",
      "github.com/meili", // not Mei-Ling
    ]) {
      expect(isTeammates(url(link), roster), link).toBe(false);
      expect(isTeammates(url(link), roster, raj), `${link} posted by raj`).toBe(false);
    }
    expect(isTeammates(handle("@janesmith"), roster)).toBe(false);
    expect(isTeammates(handle("@jane_miller"), roster)).toBe(false);
  });
});

describe("isTeammates: the workspace's own accounts", () => {
  it("slugs of the workspace's name and domains, and the usual decorations of them, are its own", () => {
    for (const link of [
      "github.com/acme",
      "https://x.com/acmehq",
      "twitter.com/GetAcme",
      "github.com/acme-inc",
      "linkedin.com/in/acme",
    ]) {
      expect(isTeammates(url(link), roster), link).toBe(true);
    }
    expect(isTeammates(handle("@acme_app"), roster)).toBe(true);
  });

  it("a community's name with noise words, and its domain", () => {
    const community = buildRoster([], {
      name: "PyData Berlin Community",
      internalDomains: ["pydata.berlin"],
    });
    expect(isTeammates(url("github.com/pydataberlin"), community)).toBe(true);
    expect(isTeammates(url("x.com/PyData_Berlin"), community)).toBe(true);
    expect(isTeammates(url("github.com/pydata"), community)).toBe(true);
    expect(isTeammates(url("github.com/pydata-consulting"), community)).toBe(false);
  });

  it("other organizations' accounts stay contacts", () => {
    expect(isTeammates(url("github.com/acmeconsulting"), roster)).toBe(false);
    expect(isTeammates(url("x.com/stripe"), roster)).toBe(false);
    // Two-letter names are too short to claim.
    const tiny = buildRoster([], { name: "AI", internalDomains: [] });
    expect(isTeammates(url("github.com/ai"), tiny)).toBe(false);
  });
});

describe("accountSlug", () => {
  it("takes the account out of each network's profile link", () => {
    expect(accountSlug(url("https://www.linkedin.com/in/jane-doe-4b2a1c9"))).toBe("jane-doe");
    expect(accountSlug(url("https://bsky.app/profile/jane.bsky.social"))).toBe("jane");
    expect(accountSlug(url("https://mastodon.social/@jane_d"))).toBe("jane_d");
    expect(accountSlug(handle("@@jane"))).toBe("jane");
    expect(accountSlug(email("jane@acme.com"))).toBeNull();
  });
});

describe("detect() with a TeammateDirectory uses the same decision for handles", () => {
  it("drops a member's @handle but keeps an outsider sharing their first name", () => {
    const teammates = new TeammateDirectory(members, { name: "Acme", internalDomains: ["acme.com"] });
    const found = detect("cc @janedoe @jane @janesmith @acmehq", { teammates, names: false }).map(
      (d) => d.normalized,
    );
    expect(found).toEqual(["@janesmith"]);
  });
});
