// npm run teams:package [-- --out FILE] [-- --icons]
//
// Builds the Teams app package (manifest.json + icons, zipped) for "Upload a custom app" or the
// Teams admin center. The manifest's placeholders are filled from the environment:
//   MICROSOFT_APP_ID  the bot's Entra app id → {{MICROSOFT_APP_ID}}
//   TEAMS_BOT_DOMAIN  the bot's public host name → {{BOT_DOMAIN}}
// (Read straight from the environment: this is a build tool, not the server's configuration.)
// --icons redraws manifests/teams/color.png and outline.png (they are committed).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildTeamsPackage } from "../src/platforms/teams/package.ts";
import { colorIcon, outlineIcon } from "./teams-icons.ts";

const MANIFEST_DIR = resolve(import.meta.dirname, "../manifests/teams");

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "data/teams/take-it-offline.zip" },
    icons: { type: "boolean", default: false },
    "app-id": { type: "string" },
    domain: { type: "string" },
  },
});

if (values.icons) {
  writeFileSync(join(MANIFEST_DIR, "color.png"), colorIcon());
  writeFileSync(join(MANIFEST_DIR, "outline.png"), outlineIcon());
  console.log(`Icons written to ${MANIFEST_DIR}`);
}

const pkg = buildTeamsPackage({
  manifestDir: MANIFEST_DIR,
  appId: values["app-id"] ?? process.env.MICROSOFT_APP_ID,
  domain: values.domain ?? process.env.TEAMS_BOT_DOMAIN,
});
const out = resolve(values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, pkg.zip);
console.log(`Teams app package: ${out} (${pkg.zip.length} bytes)`);
if (pkg.unresolved.length) {
  console.warn(
    `Warning: ${pkg.unresolved.join(", ")} left in the manifest. Set MICROSOFT_APP_ID and TEAMS_BOT_DOMAIN (or --app-id / --domain) before uploading it to Teams.`,
  );
}
