import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ScreenRenderer, WIDTHS } from "./browser.ts";
import { contentFailures, type Failure, layoutFailures } from "./checks.ts";
import { buildFixtures, type Fixtures } from "./fixtures.ts";
import { type BuiltScreen, buildScreens } from "./screens.ts";

// Renders every screen at every width in one browser; the screenshot script and the test share it.

export interface RunResult {
  /** Screens × widths rendered. */
  rendered: number;
  failures: Failure[];
  /** Network requests the page attempted (all refused): must be none. */
  requests: string[];
  files: string[];
}

/** Slack ids → names, as Slack would resolve `<@U…>`, user pickers and channel pickers. */
export function fixtureNames(f: Fixtures): Map<string, string> {
  return new Map([
    ...f.teammates.map((t) => [t.platformUserId, t.name] as const),
    ["C0DIGEST", "lunch-club"],
  ]);
}

/** Renders `screens` at every width with an open renderer, checking each; PNGs into `pngDir` if given. */
export async function checkScreens(
  renderer: ScreenRenderer,
  screens: readonly BuiltScreen[],
  pngDir?: string,
): Promise<Omit<RunResult, "requests">> {
  const failures: Failure[] = [];
  const files: string[] = [];
  let rendered = 0;
  for (const built of screens) {
    for (const width of WIDTHS) {
      let png: string | undefined;
      if (pngDir) {
        const dir = join(pngDir, built.platform);
        mkdirSync(dir, { recursive: true });
        png = join(dir, `${built.name.split("/")[1]}-${width}.png`);
        files.push(png);
      }
      const result = await renderer.render(built, width, png);
      rendered++;
      // Content doesn't change with the width: check it once.
      if (width === WIDTHS[0]) failures.push(...contentFailures(built, result));
      failures.push(...layoutFailures(built, width, result));
    }
  }
  return { rendered, failures, files };
}

/** Every screen of the product, built from the fixtures, rendered and checked in one browser. */
export async function renderAll(options: { pngDir?: string } = {}): Promise<RunResult> {
  const fixtures = await buildFixtures();
  const renderer = await ScreenRenderer.open(fixtureNames(fixtures));
  try {
    const result = await checkScreens(renderer, buildScreens(fixtures), options.pngDir);
    return { ...result, requests: renderer.requests };
  } finally {
    await renderer.close();
  }
}
