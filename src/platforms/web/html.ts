// HTML building for the dashboard's server-rendered pages: one escape for every value that lands
// in markup, and the page shell (navigation, skip link, the bundled script and styles).

/** A piece of markup that is already safe; anything else interpolated with html`` is escaped. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Pieces of markup one after the other. */
export function join(...parts: Html[]): Html {
  return new Html(parts.map((p) => p.value).join("\n"));
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

/** Tagged template: values are escaped unless they are Html (or arrays of parts). */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

/** JSON for a <script type="application/json"> block: nothing in it can close the element. */
export function jsonBlock(id: string, value: unknown): Html {
  const json = JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026");
  return new Html(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

export interface NavItem {
  href: string;
  label: string;
}

export interface PageShell {
  title: string;
  prefix: string;
  /** The current path, to mark the navigation link. */
  path: string;
  nav: NavItem[];
  workspaceName?: string;
  who?: string;
  csrf?: string;
  body: Html;
  /** The bundled script the page runs: the dashboard's, or the Teams tab's sign-in. */
  script?: "dashboard" | "teams";
}

export function page(p: PageShell): string {
  return `<!doctype html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · Take It Offline</title>
<link rel="stylesheet" href="${p.prefix}/assets/dashboard.css">
<script src="${p.prefix}/assets/${p.script ?? "dashboard"}.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <div class="brand">Take It Offline${p.workspaceName ? html` <span class="ws">· ${p.workspaceName}</span>` : ""}</div>
  ${
    p.nav.length
      ? html`<nav aria-label="Dashboard"><ul>${p.nav.map(
          (n) =>
            html`<li><a href="${n.href}"${n.href === p.path ? new Html(' aria-current="page"') : ""}>${n.label}</a></li>`,
        )}</ul></nav>`
      : ""
  }
  ${
    p.csrf
      ? html`<form method="post" action="${p.prefix}/sign-out" class="signout"><input type="hidden" name="_csrf" value="${p.csrf}"><span class="who">${p.who ?? ""}</span> <button type="submit" class="link">Sign out</button></form>`
      : ""
  }
</header>
<main id="main" tabindex="-1">
<h1>${p.title}</h1>
${p.body}
</main>
</body>
</html>`}`;
}
