import type { Rendered } from "./browser.ts";
import { cardProblems } from "./card-schema.ts";
import type { BuiltScreen } from "./screens.ts";

// What must never reach a person, checked on the rendered screen.

export type CheckName =
  | "card-1.5"
  | "card-renderer-warning"
  | "button-cut-off"
  | "text-backtick"
  | "text-raw-mention"
  | "text-html-entity"
  | "text-iso-timestamp";

export interface Failure {
  /** "teams/prompt-0-teammates", with "@320" for checks that depend on the width. */
  screen: string;
  check: CheckName;
  detail: string;
}

const TEXT_CHECKS: ReadonlyArray<readonly [CheckName, RegExp]> = [
  ["text-backtick", /`/],
  ["text-raw-mention", /<@/],
  ["text-html-entity", /&(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);/i],
  ["text-iso-timestamp", /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/],
];

/** The line around a match, for a failure message a person can act on. */
function around(text: string, re: RegExp): string {
  const line = text.split("\n").find((l) => re.test(l)) ?? "";
  return line.trim().slice(0, 160);
}

/** Width-independent checks: the card's schema and the text. */
export function contentFailures(built: BuiltScreen, rendered: Rendered): Failure[] {
  const out: Failure[] = [];
  if (built.screen.kind === "card") {
    const problems = cardProblems(built.screen.card).map((p) => `${p.path}: ${p.problem}`);
    if (problems.length) out.push({ screen: built.name, check: "card-1.5", detail: problems.join("; ") });
    // Microsoft's renderer also lints the card (inputs without an error message, empty choice values).
    if (rendered.rendererWarnings.length)
      out.push({
        screen: built.name,
        check: "card-renderer-warning",
        detail: rendered.rendererWarnings.join("; "),
      });
  }
  for (const [check, re] of TEXT_CHECKS) {
    if (re.test(rendered.text)) out.push({ screen: built.name, check, detail: around(rendered.text, re) });
  }
  return out;
}

/** Buttons whose label doesn't fit, or that stick out of the screen, at this width. */
export function layoutFailures(built: BuiltScreen, width: number, rendered: Rendered): Failure[] {
  const cut = rendered.buttons.filter(
    (b) => b.scrollWidth > b.clientWidth || b.left < 0 || b.right > rendered.viewportWidth + 0.5,
  );
  return cut.length
    ? [
        {
          screen: `${built.name}@${width}`,
          check: "button-cut-off",
          detail: cut
            .map(
              (b) => `"${b.label}" (${b.scrollWidth}/${b.clientWidth} px, right edge ${Math.round(b.right)})`,
            )
            .join(", "),
        },
      ]
    : [];
}
