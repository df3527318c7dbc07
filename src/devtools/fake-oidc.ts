import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

// Local stand-ins for Slack's OpenID Connect (slack.com/openid/connect/authorize,
// openid.connect.token, openid.connect.userInfo, the JWKS) and the Microsoft identity platform
// (/{tenant}/oauth2/v2.0/authorize and token, /{tenant}/discovery/v2.0/keys), on 127.0.0.1. The
// authorize endpoints sign in whoever the test set with `as` and redirect back at once with a code;
// the token endpoints check the client, secret, code and redirect URI, and answer with an id_token
// signed by a key of this process, whose public half the JWKS serves. Point SLACK_OIDC_URL and
// MICROSOFT_LOGIN_URL at `url`.

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

export interface FakeSlackIdentity {
  teamId: string;
  userId: string;
  name?: string;
  email?: string;
}

export interface FakeMicrosoftIdentity {
  tenantId: string;
  objectId: string;
  name?: string;
}

interface Grant {
  provider: "slack" | "microsoft";
  clientId: string;
  redirectUri: string;
  nonce: string;
  identity: FakeSlackIdentity | FakeMicrosoftIdentity;
}

/** What Teams' token for a tab (single sign-on) says; every field overridable to test refusals. */
export interface FakeTeamsSsoToken {
  tenantId: string;
  objectId: string;
  /** api://HOST/APP_ID (v1 tokens) or the app id (v2.0). */
  audience: string;
  /** "v2" (default): LOGIN_URL/{tid}/v2.0; "v1": LOGIN_URL/{tid}/; or any issuer given. */
  issuer?: "v1" | "v2" | string;
  scope?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  forged?: boolean;
}

export interface FakeOidcOptions {
  slack?: { clientId: string; clientSecret: string };
  microsoft?: { clientId: string; clientSecret: string };
}

export class FakeOidc {
  /** Who the next Slack / Microsoft sign-in is. */
  slackUser: FakeSlackIdentity | null = null;
  microsoftUser: FakeMicrosoftIdentity | null = null;
  /** Signs id_tokens with a key the JWKS doesn't serve (to test that they are refused). */
  forgeSignatures = false;
  /** Every request, in order. */
  readonly requests: Array<{ method: string; path: string }> = [];
  private readonly grants = new Map<string, Grant>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: FakeOidcOptions,
    private readonly key: SigningKey,
    private readonly forgedKey: SigningKey,
    private readonly jwk: JWK,
  ) {}

  static async start(options: FakeOidcOptions): Promise<FakeOidc> {
    const [real, forged] = await Promise.all([
      generateKeyPair("RS256", { extractable: true }),
      generateKeyPair("RS256"),
    ]);
    const jwk = { ...(await exportJWK(real.publicKey)), kid: "fake-1", alg: "RS256", use: "sig" };
    let fake: FakeOidc | null = null;
    const server = createServer((req, res) => {
      fake?.handle(req, res).catch((err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fake = new FakeOidc(server, url, options, real.privateKey, forged.privateKey, jwk);
    return fake;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", this.url);
    this.requests.push({ method: req.method ?? "GET", path: u.pathname });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (u.pathname === "/openid/connect/keys" || /^\/[^/]+\/discovery\/v2\.0\/keys$/.test(u.pathname))
      return json(200, { keys: [this.jwk] });

    if (u.pathname === "/openid/connect/authorize") return this.authorize(u, res, "slack");
    const ms = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(u.pathname);
    if (ms?.[2] === "authorize") return this.authorize(u, res, "microsoft");

    if (u.pathname === "/api/openid.connect.token" || ms?.[2] === "token") {
      const form = new URLSearchParams(await readAll(req));
      const provider = ms ? "microsoft" : "slack";
      const app = this.options[provider];
      const grant = this.grants.get(form.get("code") ?? "");
      if (
        !app ||
        !grant ||
        grant.provider !== provider ||
        form.get("client_id") !== app.clientId ||
        form.get("client_secret") !== app.clientSecret ||
        form.get("redirect_uri") !== grant.redirectUri
      ) {
        return provider === "slack"
          ? json(200, { ok: false, error: "invalid_code" })
          : json(400, { error: "invalid_grant" });
      }
      this.grants.delete(form.get("code") ?? "");
      const idToken = await this.idToken(grant);
      return provider === "slack"
        ? json(200, { ok: true, access_token: `xoxp-${randomBytes(8).toString("hex")}`, id_token: idToken })
        : json(200, {
            token_type: "Bearer",
            access_token: randomBytes(16).toString("hex"),
            id_token: idToken,
          });
    }
    json(404, { ok: false, error: "unknown_method" });
  }

  private authorize(u: URL, res: ServerResponse, provider: "slack" | "microsoft"): void {
    const app = this.options[provider];
    const identity = provider === "slack" ? this.slackUser : this.microsoftUser;
    const redirectUri = u.searchParams.get("redirect_uri") ?? "";
    if (!app || u.searchParams.get("client_id") !== app.clientId || !redirectUri) {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("invalid client_id or redirect_uri");
      return;
    }
    const back = new URL(redirectUri);
    back.searchParams.set("state", u.searchParams.get("state") ?? "");
    if (!identity) {
      back.searchParams.set("error", "access_denied");
    } else {
      const code = randomBytes(12).toString("hex");
      this.grants.set(code, {
        provider,
        clientId: app.clientId,
        redirectUri,
        nonce: u.searchParams.get("nonce") ?? "",
        identity,
      });
      back.searchParams.set("code", code);
    }
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  /**
   * The access token Teams' getAuthToken hands a tab: issued by the identity platform for our
   * exposed API to the signed-in person (tid, oid, scp access_as_user), signed by this fake's key.
   */
  teamsSsoToken(t: FakeTeamsSsoToken): Promise<string> {
    const issuer =
      t.issuer === "v1"
        ? `${this.url}/${t.tenantId}/`
        : t.issuer === undefined || t.issuer === "v2"
          ? `${this.url}/${t.tenantId}/v2.0`
          : t.issuer;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: t.tenantId, oid: t.objectId, scp: t.scope ?? "access_as_user", ver: "2.0" })
      .setProtectedHeader({ alg: "RS256", kid: "fake-1" })
      .setIssuer(issuer)
      .setSubject(`sub-${t.objectId}`)
      .setAudience(t.audience)
      .setIssuedAt(now - 60)
      .setExpirationTime(now + (t.expiresIn ?? 3600))
      .sign(t.forged ? this.forgedKey : this.key);
  }

  private async idToken(grant: Grant): Promise<string> {
    const claims: Record<string, unknown> = { nonce: grant.nonce };
    let issuer: string;
    let subject: string;
    if (grant.provider === "slack") {
      const id = grant.identity as FakeSlackIdentity;
      issuer = this.url;
      subject = id.userId;
      Object.assign(claims, {
        "https://slack.com/team_id": id.teamId,
        "https://slack.com/user_id": id.userId,
        ...(id.name ? { name: id.name } : {}),
        ...(id.email ? { email: id.email, email_verified: true } : {}),
      });
    } else {
      const id = grant.identity as FakeMicrosoftIdentity;
      issuer = `${this.url}/${id.tenantId}/v2.0`;
      subject = id.objectId;
      Object.assign(claims, { tid: id.tenantId, oid: id.objectId, ...(id.name ? { name: id.name } : {}) });
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "fake-1" })
      .setIssuer(issuer)
      .setSubject(subject)
      .setAudience(grant.clientId)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(this.forgeSignatures ? this.forgedKey : this.key);
  }
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
