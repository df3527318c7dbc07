import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, chromium, type Page } from "playwright-core";
import type { BuiltScreen } from "./screens.ts";
import { SLACK_CSS, slackHtml, type UserNames } from "./slack-html.ts";
import { TEAMS_CSS, TEAMS_HOST_CONFIG } from "./teams-host-config.ts";
import { teamsTextHtml } from "./teams-text.ts";

// One headless Debian Chromium and one page, reused for every screen: the page holds Microsoft's
// Adaptive Cards renderer (inlined from node_modules) and draws either a card or the HTML of a
// Slack screen into #root. Nothing is fetched from anywhere: every request is refused and counted.

export const CHROMIUM = "/usr/bin/chromium";
export const WIDTHS = [450, 320] as const;

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export interface ButtonBox {
  label: string;
  scrollWidth: number;
  clientWidth: number;
  left: number;
  right: number;
}

export interface Rendered {
  /** Problems the Adaptive Cards library reported while parsing/validating the card. */
  rendererWarnings: string[];
  buttons: ButtonBox[];
  /** What a person reads: the text on screen plus what the inputs show. */
  text: string;
  viewportWidth: number;
}

/** Runs in the page. A tiny markdown for TextBlocks, as Teams renders it: **bold**, _italic_, [links](…), lists. */
const PAGE_SCRIPT = `
(() => {
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  // CommonMark backslash escapes (platforms/teams/text.ts writes them): the character, taken out
  // of the formatting below, then shown as itself.
  const BS = String.fromCharCode(92);
  const PUNCT = "!\\"#$%&'()*+,-./:;<=>?@[]^_{|}~" + String.fromCharCode(96) + BS;
  const hide = (s) => {
    let out = "";
    for (let i = 0; i < s.length; i++) {
      if (s[i] === BS && i + 1 < s.length && PUNCT.includes(s[i + 1])) {
        out += "\uE000" + s.charCodeAt(i + 1) + "\uE001";
        i++;
      } else out += s[i];
    }
    return out;
  };
  const show = (s) => s.replace(/\uE000(\\d+)\uE001/g, (_, c) => esc(String.fromCharCode(Number(c))));
  const inline = (s) => show(esc(hide(s))
    .replace(/\\*\\*([^*]+)\\*\\*/g, "<strong>$1</strong>")
    .replace(/(^|\\W)_([^_]+)_(?=\\W|$)/g, "$1<em>$2</em>")
    .replace(/\\[([^\\]]+)\\]\\(([^)]+)\\)/g, '<a href="#">$1</a>'));
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const lines = text.split("\\n");
    const out = [];
    let list = null;
    for (const line of lines) {
      const m = /^\\s*(?:[-*]|(\\d+)\\.)\\s+(.*)$/.exec(line);
      if (m) {
        const tag = m[1] ? "ol" : "ul";
        if (list !== tag) { if (list) out.push("</" + list + ">"); out.push("<" + tag + ">"); list = tag; }
        out.push("<li>" + inline(m[2]) + "</li>");
      } else {
        if (list) { out.push("</" + list + ">"); list = null; }
        if (line.trim()) out.push("<p>" + inline(line) + "</p>");
      }
    }
    if (list) out.push("</" + list + ">");
    result.outputHtml = out.join("");
    result.didProcess = true;
  };
  const root = () => document.getElementById("root");
  window.__renderHtml = (className, html) => { root().className = className; root().innerHTML = html; return []; };
  window.__renderCard = (card, hostConfig) => {
    const r = root();
    r.className = "tm-root";
    r.innerHTML = '<div class="tm-meta">Take It Offline · 10:00</div><div class="tm-bubble"></div>';
    const ac = new AdaptiveCards.AdaptiveCard();
    ac.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
    const ctx = new AdaptiveCards.SerializationContext();
    ac.parse(card, ctx);
    const warnings = [];
    for (let i = 0; i < ctx.eventCount; i++) warnings.push(ctx.getEventAt(i).message);
    for (const e of ac.validateProperties().validationEvents) warnings.push(e.message);
    const el = ac.render();
    if (!el) warnings.push("the renderer produced nothing");
    else r.querySelector(".tm-bubble").appendChild(el);
    return warnings;
  };
  window.__inspect = () => {
    const r = root();
    const buttons = [...r.querySelectorAll("button, .ac-pushButton")].map((b) => {
      const box = b.getBoundingClientRect();
      // The Adaptive Cards renderer ellipsizes a title in a div inside the button: measure every
      // box in the button and report the one whose content overflows most.
      let worst = b;
      for (const el of b.querySelectorAll("*")) {
        if (el.scrollWidth - el.clientWidth > worst.scrollWidth - worst.clientWidth) worst = el;
      }
      return { label: (b.innerText || b.getAttribute("aria-label") || "").trim(), scrollWidth: worst.scrollWidth, clientWidth: worst.clientWidth, left: box.left, right: box.right };
    });
    const shown = [...r.querySelectorAll("input, textarea, select")].map((i) => {
      if (i.tagName === "SELECT") return [...i.selectedOptions].map((o) => o.text).join(", ");
      if (i.type === "checkbox" || i.type === "radio") return "";
      return [i.value, i.value ? "" : i.placeholder].filter(Boolean).join(" ");
    });
    return { buttons, text: [r.innerText, ...shown].join("\\n"), viewportWidth: window.innerWidth };
  };
})();
`;

function adaptiveCardsScript(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve("adaptivecards");
  const dist = main.replace(/lib[/\\][^/\\]+$/, "dist/adaptivecards.min.js");
  return readFileSync(existsSync(dist) ? dist : main, "utf8");
}

/** `</script>` inside an inlined script would end it early. */
const inlineScript = (js: string) => `<script>${js.replace(/<\/script/gi, "<\\/script")}</script>`;

export class ScreenRenderer {
  /** Requests the page tried to make (there must be none). */
  readonly requests: string[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly page: Page,
    private readonly users: UserNames,
  ) {}

  static available(): boolean {
    return existsSync(CHROMIUM);
  }

  static async open(users: UserNames): Promise<ScreenRenderer> {
    // launch() gives the browser a fresh temporary profile, removed on close.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext({
        viewport: { width: WIDTHS[0], height: 800 },
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      const renderer = new ScreenRenderer(browser, page, users);
      await context.route("**/*", async (route) => {
        renderer.requests.push(route.request().url());
        await route.abort();
      });
      await page.setContent(
        `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff}${SLACK_CSS}${TEAMS_CSS}</style></head><body><div id="root"></div>${inlineScript(adaptiveCardsScript())}${inlineScript(PAGE_SCRIPT)}</body></html>`,
      );
      return renderer;
    } catch (err) {
      await browser.close();
      throw err;
    }
  }

  async render(built: BuiltScreen, width: number, png?: string): Promise<Rendered> {
    await this.page.setViewportSize({ width, height: 800 });
    const s = built.screen;
    let rendererWarnings: string[];
    if (s.kind === "card") {
      rendererWarnings = await this.page.evaluate(
        ([card, config]) =>
          (globalThis as unknown as { __renderCard(c: unknown, h: unknown): string[] }).__renderCard(
            card,
            config,
          ),
        [s.card, TEAMS_HOST_CONFIG] as const,
      );
    } else {
      const [className, html] =
        s.kind === "text"
          ? [
              "tm-root",
              `<div class="tm-meta">Take It Offline · 10:00</div><div class="tm-bubble tm-text">${teamsTextHtml(s.markdown)}</div>`,
            ]
          : ["sk-root", slackHtml(s, this.users)];
      rendererWarnings = await this.page.evaluate(
        ([c, h]) =>
          (globalThis as unknown as { __renderHtml(c: string, h: string): string[] }).__renderHtml(c, h),
        [className, html] as const,
      );
    }
    const inspected = await this.page.evaluate(() =>
      (globalThis as unknown as { __inspect(): Omit<Rendered, "rendererWarnings"> }).__inspect(),
    );
    if (png) await this.page.locator("#root").screenshot({ path: png });
    return { rendererWarnings, ...inspected };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
