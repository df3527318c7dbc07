// The Teams app package: manifest.json + color.png + outline.png in a zip, as Teams' "Upload a
// custom app" and the admin center expect. The icons are committed files, drawn by
// scripts/teams-icons.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { zipSync } from "fflate";

export const PACKAGE_FILES = ["manifest.json", "color.png", "outline.png"] as const;

/** Placeholders in manifests/teams/manifest.json, filled in at packaging time. */
export const PLACEHOLDERS = { appId: "{{MICROSOFT_APP_ID}}", domain: "{{BOT_DOMAIN}}" } as const;

const FIXED_MTIME = new Date(1980, 0, 1, 12);

export interface PackageOptions {
  manifestDir: string;
  /** MICROSOFT_APP_ID: the bot's Entra app id (also the Teams app id and RSC app id). */
  appId?: string | undefined;
  /** Public host name of the bot (no scheme), e.g. bot.example.com. */
  domain?: string | undefined;
}

export interface TeamsPackage {
  zip: Buffer;
  manifest: Record<string, unknown>;
  /** Placeholders left in because no value was given. */
  unresolved: string[];
}

export function buildTeamsPackage(options: PackageOptions): TeamsPackage {
  let text = readFileSync(join(options.manifestDir, "manifest.json"), "utf8");
  const unresolved: string[] = [];
  for (const [key, placeholder] of Object.entries(PLACEHOLDERS) as Array<
    [keyof typeof PLACEHOLDERS, string]
  >) {
    const value = options[key]?.trim();
    if (value) {
      if (!/^[\w.-]+$/.test(value))
        throw new Error(`${key} "${value}" contains characters a manifest value can't have`);
      text = text.split(placeholder).join(value);
    } else if (text.includes(placeholder)) unresolved.push(placeholder);
  }
  const manifest = JSON.parse(text) as Record<string, unknown>;
  // A fixed timestamp keeps the package byte-for-byte reproducible.
  const entry = (data: Uint8Array): [Uint8Array, { mtime: Date }] => [data, { mtime: FIXED_MTIME }];
  const zip = Buffer.from(
    zipSync(
      {
        "manifest.json": entry(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)),
        "color.png": entry(readFileSync(join(options.manifestDir, "color.png"))),
        "outline.png": entry(readFileSync(join(options.manifestDir, "outline.png"))),
      },
      { level: 9 },
    ),
  );
  return { zip, manifest, unresolved };
}
