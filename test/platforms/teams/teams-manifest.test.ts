// The Teams app manifest must agree with the code: the commands it suggests exist in the grammar,
// the RSC permission the tracker relies on is requested, the bot's scopes cover the activities
// the handler acts on, and `npm run teams:package` produces a zip Teams accepts.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { inflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { SUBCOMMANDS } from "../../../src/core/commands.ts";
import {
  BOT_SCOPES,
  HANDLED_ACTIVITY_TYPES,
  HANDLED_EVENT_TYPES,
  RSC_PERMISSIONS,
  SUGGESTED_COMMANDS,
} from "../../../src/platforms/teams/capabilities.ts";
import { buildTeamsPackage, PACKAGE_FILES, PLACEHOLDERS } from "../../../src/platforms/teams/package.ts";
import { PREFIX as WEB_PREFIX } from "../../../src/platforms/web/index.ts";

const run = promisify(execFile);
const DIR = resolve("manifests/teams");

interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  bots: Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
  }>;
  validDomains: string[];
  staticTabs: Array<{
    entityId: string;
    name: string;
    contentUrl: string;
    websiteUrl: string;
    scopes: string[];
  }>;
  webApplicationInfo: { id: string; resource: string };
  authorization: { permissions: { resourceSpecific: Array<{ name: string; type: string }> } };
}

const manifest = JSON.parse(readFileSync(join(DIR, "manifest.json"), "utf8")) as Manifest;
const bot = manifest.bots[0] as Manifest["bots"][number];

/** Width, height and the RGBA pixels of a PNG written without row filters (as package.ts does). */
function readPng(file: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = file.readUInt32BE(16);
  const height = file.readUInt32BE(20);
  expect([file[24], file[25]]).toEqual([8, 6]); // 8-bit RGBA
  const idat: Buffer[] = [];
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    if (file.toString("ascii", at + 4, at + 8) === "IDAT") idat.push(file.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(pixels, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, pixels };
}

function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolveFiles, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err || !file) return reject(err);
      const files = new Map<string, Buffer>();
      file.on("entry", (entry: yauzl.Entry) => {
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
        });
      });
      file.on("end", () => resolveFiles(files));
      file.on("error", reject);
      file.readEntry();
    });
  });
}

describe("Teams manifest", () => {
  it("uses a current schema version (1.17 or later) that matches its $schema URL", () => {
    const [major, minor] = manifest.manifestVersion.split(".").map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(17);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
  });

  it("offers the bot in the scopes the code handles, one app id everywhere", () => {
    expect([...bot.scopes].sort()).toEqual([...BOT_SCOPES].sort());
    expect(manifest.id).toBe(PLACEHOLDERS.appId);
    expect(bot.botId).toBe(PLACEHOLDERS.appId);
    expect(manifest.webApplicationInfo.id).toBe(PLACEHOLDERS.appId);
    expect(manifest.validDomains).toContain(PLACEHOLDERS.domain);
  });

  it("suggests only real commands: at most 3 lists of at most 3, matching SUGGESTED_COMMANDS", () => {
    // Teams accepts 3 lists of up to 10 commands; we keep 3 per scope on purpose.
    expect(bot.commandLists.length).toBeLessThanOrEqual(3);
    const seenScopes: string[] = [];
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(3);
      for (const c of list.commands) {
        expect(SUBCOMMANDS).toContain(c.title);
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
      for (const scope of list.scopes) {
        expect(BOT_SCOPES).toContain(scope);
        seenScopes.push(scope);
        expect(list.commands.map((c) => c.title)).toEqual(
          SUGGESTED_COMMANDS[scope as keyof typeof SUGGESTED_COMMANDS],
        );
      }
    }
    expect(seenScopes.sort()).toEqual([...BOT_SCOPES].sort());
  });

  it("has a personal tab that signs in with Teams SSO on the bot's own host", () => {
    expect(manifest.staticTabs).toHaveLength(1);
    const tab = manifest.staticTabs[0];
    expect(tab?.scopes).toEqual(["personal"]);
    // In Teams the tab's page signs in with the token Teams gives it; in a browser, the dashboard.
    expect(tab?.contentUrl).toBe(`https://{{BOT_DOMAIN}}${WEB_PREFIX}/teams`);
    expect(tab?.websiteUrl).toBe(`https://{{BOT_DOMAIN}}${WEB_PREFIX}/`);
    expect(manifest.validDomains).toContain("{{BOT_DOMAIN}}");
    // The token's audience: the API the app exposes in Entra, named after the tab's host.
    expect(manifest.webApplicationInfo).toEqual({
      id: PLACEHOLDERS.appId,
      resource: `api://{{BOT_DOMAIN}}/${PLACEHOLDERS.appId}`,
    });
  });

  it("requests exactly the RSC permissions the code relies on", () => {
    const rsc = manifest.authorization.permissions.resourceSpecific;
    expect(rsc.map((p) => p.name).sort()).toEqual([...RSC_PERMISSIONS].sort());
    expect(rsc.every((p) => p.type === "Application")).toBe(true);
    // Channel messages without an @mention, and their edits and deletes, need ChannelMessage.Read.Group.
    expect(HANDLED_ACTIVITY_TYPES).toEqual(
      expect.arrayContaining(["message", "messageUpdate", "messageDelete"]),
    );
    expect(RSC_PERMISSIONS).toContain("ChannelMessage.Read.Group");
    // Team lifecycle events (install, channels, members) need the team scope.
    expect(HANDLED_EVENT_TYPES.conversationUpdate).toContain("teamMemberAdded");
    expect(bot.scopes).toContain("team");
  });

  it("ships icons of the required sizes; the outline is white on transparent", () => {
    const color = readPng(readFileSync(join(DIR, manifest.icons.color)));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(readFileSync(join(DIR, manifest.icons.outline)));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let visible = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      if (outline.pixels[i + 3] === 0) continue;
      visible++;
      expect([outline.pixels[i], outline.pixels[i + 1], outline.pixels[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(visible).toBeGreaterThan(50);
  });
});

describe("Teams app package", () => {
  const tmp = mkdtempSync(join(tmpdir(), "tio-teams-pkg-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("zips exactly the manifest and both icons, with the app id and domain filled in", async () => {
    const appId = "11111111-2222-3333-4444-555555555555";
    const pkg = buildTeamsPackage({ manifestDir: DIR, appId, domain: "bot.example.com" });
    expect(pkg.unresolved).toEqual([]);
    const files = await unzip(pkg.zip);
    expect([...files.keys()]).toEqual([...PACKAGE_FILES]);
    const inZip = files.get("manifest.json")?.toString("utf8") ?? "";
    expect(inZip).not.toContain("{{");
    const parsed = JSON.parse(inZip) as Manifest;
    expect(parsed.id).toBe(appId);
    expect(parsed.bots[0]?.botId).toBe(appId);
    expect(parsed.webApplicationInfo).toEqual({ id: appId, resource: `api://bot.example.com/${appId}` });
    expect(parsed.validDomains).toEqual(["bot.example.com"]);
    expect(files.get("color.png")).toEqual(readFileSync(join(DIR, "color.png")));
    expect(files.get("outline.png")).toEqual(readFileSync(join(DIR, "outline.png")));
  });

  it("reports placeholders it could not fill, and refuses values that would break the JSON", () => {
    expect(buildTeamsPackage({ manifestDir: DIR }).unresolved.sort()).toEqual(
      [PLACEHOLDERS.appId, PLACEHOLDERS.domain].sort(),
    );
    expect(() => buildTeamsPackage({ manifestDir: DIR, appId: 'x"}' })).toThrow(/can't have/);
  });

  it("npm run teams:package writes the zip, taking the app id from MICROSOFT_APP_ID", async () => {
    const out = join(tmp, "pkg.zip");
    const { stdout } = await run("npm", ["run", "--silent", "teams:package", "--", "--out", out], {
      env: {
        ...process.env,
        MICROSOFT_APP_ID: "99999999-8888-7777-6666-555555555555",
        TEAMS_BOT_DOMAIN: "tio.example.org",
      },
    });
    expect(stdout).toContain("Teams app package");
    const files = await unzip(readFileSync(out));
    expect([...files.keys()].sort()).toEqual([...PACKAGE_FILES].sort());
    const parsed = JSON.parse(files.get("manifest.json")?.toString("utf8") ?? "{}") as Manifest;
    expect(parsed.bots[0]?.botId).toBe("99999999-8888-7777-6666-555555555555");
    expect(parsed.validDomains).toEqual(["tio.example.org"]);
  });
});
