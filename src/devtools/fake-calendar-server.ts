import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// What the fake Google Calendar and fake Microsoft Graph servers share (fake-google.ts,
// fake-graph.ts): people's calendars (busy times and events), an OAuth authorization server (an
// authorize page that redirects straight back, a token endpoint with the authorization_code and
// refresh_token grants, revocation), bearer-token checks, a log of every request, and switches that
// make the next calls fail the way the real services do (429 with Retry-After, 500, invalid_grant).

export interface FakeEvent {
  id: string;
  start: Date;
  end: Date;
  title: string;
  location: string | null;
  attendees: string[];
  /** Query flags the insert came with (Google's sendUpdates). */
  sendUpdates: string | null;
}

export interface FakeAccount {
  email: string;
  /** Busy times that are not events the bot created (meetings the person has anyway). */
  busy: Array<{ start: Date; end: Date; showAs?: string }>;
  events: FakeEvent[];
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** The account of the bearer token, when the request had a valid one. */
  account: string | null;
}

interface Grant {
  account: string;
  clientId: string;
  refreshToken: string;
  revoked: boolean;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

export type Reply = { status: number; body: unknown; headers?: Record<string, string> };
type Route = (req: ParsedRequest) => Promise<Reply | null> | Reply | null;

export interface ParsedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  url: URL;
  body: unknown;
  bearer: string | null;
  /** Where the server is reached (http://127.0.0.1:PORT). */
  origin: string;
}

export interface FakeCalendarOptions {
  clientId?: string;
  clientSecret?: string;
  /** Seconds an access token lives (default 3600). */
  expiresIn?: number;
  /** Microsoft rotates refresh tokens on every refresh; Google keeps them. */
  rotateRefreshTokens?: boolean;
}

export class FakeCalendarServer {
  readonly requests: FakeRequest[] = [];
  readonly accounts = new Map<string, FakeAccount>();
  clientId: string;
  clientSecret: string;
  expiresIn: number;
  /** The account the authorize page signs in as (the first one added, unless set). */
  signInAs: string | null = null;
  private readonly codes = new Map<string, { grant: Grant; redirectUri: string }>();
  private readonly grants: Grant[] = [];
  private readonly tokens = new Map<string, AccessToken>();
  private readonly failures: Array<{ status: number; retryAfter?: string; scope: "api" | "token" }> = [];
  private server: Server | null = null;
  private routes: Route[] = [];
  url = "";

  constructor(private readonly options: FakeCalendarOptions = {}) {
    this.clientId = options.clientId ?? "fake-client-id";
    this.clientSecret = options.clientSecret ?? "fake-client-secret";
    this.expiresIn = options.expiresIn ?? 3600;
  }

  protected use(route: Route): void {
    this.routes.push(route);
  }

  /** Starts listening (again, at `url`'s port, after close(): a provider coming back). */
  async listen(url?: string): Promise<void> {
    this.server = createServer((req, res) => {
      this.dispatch(req, res).catch((err: unknown) => {
        send(res, { status: 500, body: { error: "fake_failure", message: String(err) } });
      });
    });
    const port = url ? Number(new URL(url).port) : 0;
    await new Promise<void>((resolve) => this.server?.listen(port, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  // ---- arranging ----

  /** Forgets every account, grant, token, failure and request, as a fresh server would. */
  reset(): void {
    this.accounts.clear();
    this.requests.length = 0;
    this.codes.clear();
    this.grants.length = 0;
    this.tokens.clear();
    this.failures.length = 0;
    this.signInAs = null;
    this.expiresIn = this.options.expiresIn ?? 3600;
  }

  addAccount(email: string, busy: FakeAccount["busy"] = []): FakeAccount {
    const account: FakeAccount = { email: email.toLowerCase(), busy, events: [] };
    this.accounts.set(account.email, account);
    this.signInAs ??= account.email;
    return account;
  }

  account(email: string): FakeAccount {
    const a = this.accounts.get(email.toLowerCase());
    if (!a) throw new Error(`no fake account ${email}`);
    return a;
  }

  /** The next `count` API calls (or token calls) answer `status` (429 with Retry-After, 500…). */
  failNext(status: number, count = 1, opts: { retryAfter?: string; scope?: "api" | "token" } = {}): void {
    for (let i = 0; i < count; i++)
      this.failures.push({
        status,
        scope: opts.scope ?? "api",
        ...(opts.retryAfter ? { retryAfter: opts.retryAfter } : {}),
      });
  }

  /** Drops failures set with failNext that haven't happened yet. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  /** Every access token issued so far stops working (they expired early), refresh tokens still work. */
  expireAccessTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  /** The person removed the app's access: refresh answers invalid_grant, tokens are refused. */
  revokeAccount(email: string): void {
    for (const g of this.grants) if (g.account === email.toLowerCase()) g.revoked = true;
  }

  /** Grants still live for an account (a revocation shows here). */
  liveGrants(email: string): number {
    return this.grants.filter((g) => g.account === email.toLowerCase() && !g.revoked).length;
  }

  /** Tokens issued with the token endpoint, by grant type. */
  tokenCalls(grantType: string): FakeRequest[] {
    return this.requests.filter(
      (r) => r.status === 200 && (r.body as { grant_type?: string } | null)?.grant_type === grantType,
    );
  }

  /**
   * A grant made without the browser: tokens for `email` as the token endpoint would issue them
   * (for the demo and tests that start with a connected calendar).
   */
  issueGrant(email: string): { accessToken: string; refreshToken: string; expiresAt: number } {
    if (!this.accounts.has(email.toLowerCase())) this.addAccount(email);
    const grant = this.newGrant(email.toLowerCase(), this.clientId);
    const t = this.newAccessToken(grant);
    return { accessToken: t.token, refreshToken: grant.refreshToken, expiresAt: t.expiresAt };
  }

  // ---- OAuth, for the subclasses' routes ----

  /** The authorize page: signs in as `signInAs` and sends the browser back with a code. */
  protected authorize(req: ParsedRequest): Reply {
    const redirect = req.query.redirect_uri;
    const clientId = req.query.client_id;
    if (!redirect || clientId !== this.clientId || req.query.response_type !== "code")
      return { status: 400, body: { error: "invalid_request" } };
    const back = new URL(redirect);
    if (req.query.state) back.searchParams.set("state", req.query.state);
    if (req.query.deny === "1" || !this.signInAs) {
      back.searchParams.set("error", "access_denied");
    } else {
      const code = token("code");
      this.codes.set(code, { grant: this.newGrant(this.signInAs, clientId), redirectUri: redirect });
      back.searchParams.set("code", code);
    }
    return { status: 302, body: "", headers: { location: back.toString() } };
  }

  /** The token endpoint: authorization_code and refresh_token grants, form-encoded, client secret in the body or Basic. */
  protected token(req: ParsedRequest): Reply {
    const failure = this.takeFailure("token");
    if (failure) return failure;
    const body = (req.body ?? {}) as Record<string, string>;
    const id = body.client_id ?? this.basicAuth?.id;
    const secret = body.client_secret ?? this.basicAuth?.secret;
    if (id !== this.clientId || secret !== this.clientSecret)
      return { status: 401, body: { error: "invalid_client" } };
    if (body.grant_type === "authorization_code") {
      const entry = body.code ? this.codes.get(body.code) : undefined;
      if (!entry || entry.redirectUri !== body.redirect_uri)
        return { status: 400, body: { error: "invalid_grant" } };
      this.codes.delete(body.code ?? "");
      return { status: 200, body: this.tokenBody(entry.grant, true) };
    }
    if (body.grant_type === "refresh_token") {
      const grant = this.grants.find((g) => g.refreshToken === body.refresh_token);
      if (!grant || grant.revoked)
        return {
          status: 400,
          body: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
        };
      if (this.options.rotateRefreshTokens) grant.refreshToken = token("refresh");
      return { status: 200, body: this.tokenBody(grant, false) };
    }
    return { status: 400, body: { error: "unsupported_grant_type" } };
  }

  /** Revocation (Google's /revoke): the grant of a refresh or access token ends. */
  protected revoke(req: ParsedRequest): Reply {
    const body = (req.body ?? {}) as Record<string, string>;
    const value = body.token ?? req.query.token;
    const grant =
      this.grants.find((g) => g.refreshToken === value) ??
      (value ? this.tokens.get(value)?.grant : undefined);
    if (!grant || grant.revoked) return { status: 400, body: { error: "invalid_token" } };
    grant.revoked = true;
    return { status: 200, body: {} };
  }

  /** The account behind a valid bearer token, or the reply that refuses it; applies injected failures. */
  protected authenticate(req: ParsedRequest): { account: FakeAccount } | Reply {
    const failure = this.takeFailure("api");
    if (failure) return failure;
    const t = req.bearer ? this.tokens.get(req.bearer) : undefined;
    if (!t || t.grant.revoked || t.expiresAt <= Date.now())
      return {
        status: 401,
        body: { error: { code: "InvalidAuthenticationToken", message: "Unauthorized" } },
      };
    const account = this.accounts.get(t.grant.account);
    if (!account) return { status: 404, body: { error: "no account" } };
    return { account };
  }

  private basicAuth: { id: string; secret: string } | null = null;

  private takeFailure(scope: "api" | "token"): Reply | null {
    const i = this.failures.findIndex((f) => f.scope === scope);
    if (i < 0) return null;
    const [f] = this.failures.splice(i, 1);
    if (!f) return null;
    return {
      status: f.status,
      body: { error: { code: f.status === 429 ? "rateLimitExceeded" : "backendError", message: "injected" } },
      ...(f.retryAfter ? { headers: { "retry-after": f.retryAfter } } : {}),
    };
  }

  private newGrant(account: string, clientId: string): Grant {
    const grant: Grant = { account, clientId, refreshToken: token("refresh"), revoked: false };
    this.grants.push(grant);
    return grant;
  }

  private newAccessToken(grant: Grant): { token: string; expiresAt: number } {
    const value = token("access");
    const expiresAt = Date.now() + this.expiresIn * 1000;
    this.tokens.set(value, { grant, expiresAt });
    return { token: value, expiresAt };
  }

  private tokenBody(grant: Grant, first: boolean): Record<string, unknown> {
    const t = this.newAccessToken(grant);
    return {
      access_token: t.token,
      token_type: "Bearer",
      expires_in: this.expiresIn,
      ...(first || this.options.rotateRefreshTokens ? { refresh_token: grant.refreshToken } : {}),
      id_token: unsignedJwt({ email: grant.account, preferred_username: grant.account, aud: grant.clientId }),
      scope: "openid email",
    };
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const raw = await readAll(req);
    const type = req.headers["content-type"] ?? "";
    let body: unknown = null;
    if (raw.length > 0) {
      if (type.includes("application/x-www-form-urlencoded"))
        body = Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
      else {
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch {
          body = raw.toString("utf8");
        }
      }
    }
    const auth = req.headers.authorization ?? "";
    const bearer = /^Bearer (.+)$/i.exec(auth)?.[1] ?? null;
    const basic = /^Basic (.+)$/i.exec(auth)?.[1];
    if (basic) {
      const [id, secret] = Buffer.from(basic, "base64").toString("utf8").split(":");
      this.basicAuth = { id: decodeURIComponent(id ?? ""), secret: decodeURIComponent(secret ?? "") };
    } else this.basicAuth = null;
    const parsed: ParsedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      url,
      body,
      bearer,
      origin: this.url,
    };
    let reply: Reply | null = null;
    for (const route of this.routes) {
      reply = await route(parsed);
      if (reply) break;
    }
    reply ??= { status: 404, body: { error: "not_found", path: url.pathname } };
    const owner = bearer ? (this.tokens.get(bearer)?.grant.account ?? null) : null;
    this.requests.push({
      method: parsed.method,
      path: parsed.path,
      query: parsed.query,
      body,
      status: reply.status,
      account: reply.status < 400 ? owner : null,
    });
    send(res, reply);
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  if (reply.status === 302) {
    res.writeHead(302, headers);
    res.end();
    return;
  }
  res.writeHead(reply.status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(reply.body));
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function token(kind: string): string {
  return `${kind}-${randomBytes(12).toString("base64url")}`;
}

/** An id_token as the token endpoint hands it out; the client reads its claims without a key. */
function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part({ iss: "fake", iat: Math.floor(Date.now() / 1000), ...claims })}.`;
}

/** Events and busy times of an account overlapping [from, to). */
export function overlapping<T extends { start: Date; end: Date }>(
  list: readonly T[],
  from: Date,
  to: Date,
): T[] {
  return list.filter((x) => x.end > from && x.start < to);
}

export function newEventId(): string {
  return randomBytes(9).toString("base64url");
}
