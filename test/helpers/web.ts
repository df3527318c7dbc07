import { FakeOidc } from "../../src/devtools/fake-oidc.ts";
import { freePort } from "../../src/devtools/free-port.ts";
import type { Provider } from "../../src/store/db.ts";
import { type HarnessOptions, type SlackHarness, startSlackHarness, TEAM_ID } from "./slack-signing.ts";

// The dashboard under test: the real server (Slack app on a FakeSlack, as the other e2e tests run
// it) with PUBLIC_URL naming its own port, sign-in against a FakeOidc for Slack and Microsoft, and
// a cookie-keeping HTTP client that follows the sign-in redirects the way a browser would.

export const SLACK_CLIENT = { clientId: "111.222", clientSecret: "slack-client-secret" };
export const MS_CLIENT = { clientId: "00000000-0000-0000-0000-00000000a99", clientSecret: "ms-app-password" };
export const SESSION_SECRET = "s".repeat(40);

export interface WebHarness {
  h: SlackHarness;
  oidc: FakeOidc;
  /** http://127.0.0.1:PORT (also PUBLIC_URL). */
  base: string;
  close(): Promise<void>;
}

export async function startWebHarness(
  provider: Provider,
  o: HarnessOptions & { microsoft?: boolean } = {},
): Promise<WebHarness> {
  const oidc = await FakeOidc.start({
    slack: SLACK_CLIENT,
    ...(o.microsoft ? { microsoft: MS_CLIENT } : {}),
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const h = await startSlackHarness(provider, {
    ...o,
    port,
    env: {
      PUBLIC_URL: base,
      SESSION_SECRET,
      SLACK_CLIENT_ID: SLACK_CLIENT.clientId,
      SLACK_CLIENT_SECRET: SLACK_CLIENT.clientSecret,
      SLACK_OIDC_URL: oidc.url,
      ...(o.microsoft
        ? {
            MICROSOFT_APP_ID: MS_CLIENT.clientId,
            MICROSOFT_APP_PASSWORD: MS_CLIENT.clientSecret,
            MICROSOFT_LOGIN_URL: oidc.url,
          }
        : {}),
      ...o.env,
    },
  });
  return {
    h,
    oidc,
    base,
    async close() {
      await h.close();
      await oidc.close();
    },
  };
}

export interface WebResponse {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
}

/** A browser-like client of one server: keeps its cookies, follows redirects on request. */
export class WebClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 1) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    path: string,
    init: {
      method?: string;
      form?: Record<string, string | string[]>;
      headers?: Record<string, string>;
    } = {},
  ): Promise<WebResponse> {
    const url = path.startsWith("http") ? path : `${this.base}${path}`;
    const ours = url.startsWith(this.base);
    let body: string | undefined;
    if (init.form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form))
        for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
      body = p.toString();
    }
    const res = await fetch(url, {
      method: init.method ?? (body !== undefined ? "POST" : "GET"),
      redirect: "manual",
      headers: {
        ...(ours && this.cookies.size ? { cookie: this.cookieHeader() } : {}),
        ...(body !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        ...init.headers,
      },
      ...(body !== undefined ? { body } : {}),
    });
    if (ours) this.keep(res);
    return {
      status: res.status,
      location: res.headers.get("location"),
      text: await res.text(),
      headers: res.headers,
    };
  }

  get(path: string): Promise<WebResponse> {
    return this.request(path);
  }

  post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    return this.request(path, { form, headers: { origin: this.base, ...headers } });
  }

  /** Follows redirects from `path` (to the fake provider and back) and returns the last answer. */
  async follow(path: string, max = 8): Promise<WebResponse> {
    let res = await this.get(path);
    for (let i = 0; i < max && res.location; i++)
      res = await this.get(new URL(res.location, this.base).toString());
    return res;
  }

  /** The CSRF token of the last page that had a form. */
  static csrf(page: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(page);
    if (!m?.[1]) throw new Error("no CSRF token on the page");
    return m[1];
  }
}

export { TEAM_ID };
