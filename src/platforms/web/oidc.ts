import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import { z } from "zod";
import type { SignInIdentity } from "../../app/service.ts";
import type { Config } from "../../config.ts";

// Sign-in with Slack (OpenID Connect: slack.com/openid/connect/authorize, openid.connect.token)
// and with the Microsoft identity platform (v2.0 authorize and token endpoints). Both are the
// authorization-code flow: the browser comes back with a code, the server trades it for an
// id_token, whose signature (the provider's JWKS), audience, issuer and nonce are checked before
// its claims name anyone. The hosts are configurable so tests run against local fakes.

export type ProviderName = "slack" | "microsoft";

export interface OidcProvider {
  name: ProviderName;
  /** "Slack", "Microsoft". */
  label: string;
  authorizeUrl(state: string, nonce: string): string;
  /** Trades the code for a verified identity; throws SignInError when anything doesn't check out. */
  identify(code: string, nonce: string): Promise<SignInIdentity>;
}

export class SignInError extends Error {}

const SLACK_DEFAULT = "https://slack.com";
const MICROSOFT_DEFAULT = "https://login.microsoftonline.com";
const SCOPE = "openid profile email";
const TIMEOUT_MS = 10_000;

const slackToken = z.object({ ok: z.literal(true), id_token: z.string().min(10).max(20_000) });
const slackClaims = z.object({
  "https://slack.com/team_id": z.string().min(1).max(100),
  "https://slack.com/user_id": z.string().min(1).max(100),
  name: z.string().max(300).optional(),
  email: z.string().max(300).optional(),
});
const microsoftToken = z.object({ id_token: z.string().min(10).max(20_000) });
const microsoftClaims = z.object({
  tid: z.string().min(1).max(100),
  oid: z.string().min(1).max(100),
});

async function postForm(url: string, fields: Record<string, string>): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams(fields).toString(),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw new SignInError(`token endpoint answered ${res.status}`);
  return body;
}

async function verified(
  idToken: string,
  jwks: ReturnType<typeof createRemoteJWKSet>,
  audience: string,
  nonce: string,
  issuer: (payload: JWTPayload) => string,
): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, jwks, { audience, clockTolerance: 60 }));
  } catch (err) {
    throw new SignInError(`id_token refused: ${(err as Error).message}`);
  }
  if (payload.nonce !== nonce) throw new SignInError("id_token nonce does not match this sign-in");
  if (payload.iss !== issuer(payload))
    throw new SignInError(`id_token issuer ${payload.iss} is not expected`);
  return payload;
}

/** The providers this configuration can sign in with (each needs its app's id and secret). */
export function oidcProviders(config: Config, redirectBase: string): OidcProvider[] {
  const providers: OidcProvider[] = [];
  if (config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET) {
    const clientId = config.SLACK_CLIENT_ID;
    const secret = config.SLACK_CLIENT_SECRET;
    const base = config.SLACK_OIDC_URL ?? SLACK_DEFAULT;
    const redirect = `${redirectBase}/auth/slack/callback`;
    const jwks = createRemoteJWKSet(new URL(`${base}/openid/connect/keys`));
    providers.push({
      name: "slack",
      label: "Slack",
      authorizeUrl: (state, nonce) =>
        `${base}/openid/connect/authorize?${new URLSearchParams({
          response_type: "code",
          scope: SCOPE,
          client_id: clientId,
          state,
          nonce,
          redirect_uri: redirect,
        })}`,
      async identify(code, nonce) {
        const token = slackToken.safeParse(
          await postForm(`${base}/api/openid.connect.token`, {
            client_id: clientId,
            client_secret: secret,
            code,
            redirect_uri: redirect,
            grant_type: "authorization_code",
          }),
        );
        if (!token.success) throw new SignInError("Slack did not accept the sign-in code");
        const payload = await verified(token.data.id_token, jwks, clientId, nonce, () => base);
        const claims = slackClaims.safeParse(payload);
        if (!claims.success) throw new SignInError("Slack's id_token lacks the team or user");
        return {
          provider: "slack",
          teamId: claims.data["https://slack.com/team_id"],
          userId: claims.data["https://slack.com/user_id"],
          name: claims.data.name ?? null,
          email: claims.data.email ?? null,
        };
      },
    });
  }
  if (config.MICROSOFT_APP_ID && config.MICROSOFT_APP_PASSWORD) {
    const clientId = config.MICROSOFT_APP_ID;
    const secret = config.MICROSOFT_APP_PASSWORD;
    const base = config.MICROSOFT_LOGIN_URL ?? MICROSOFT_DEFAULT;
    // A single-tenant app signs in its own tenant only; a multi-tenant one any work account.
    const tenant =
      config.MICROSOFT_APP_TYPE === "SingleTenant" && config.MICROSOFT_APP_TENANT_ID
        ? config.MICROSOFT_APP_TENANT_ID
        : "organizations";
    const redirect = `${redirectBase}/auth/microsoft/callback`;
    const jwks = createRemoteJWKSet(new URL(`${base}/${tenant}/discovery/v2.0/keys`));
    providers.push({
      name: "microsoft",
      label: "Microsoft",
      authorizeUrl: (state, nonce) =>
        `${base}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams({
          client_id: clientId,
          response_type: "code",
          response_mode: "query",
          scope: SCOPE,
          redirect_uri: redirect,
          state,
          nonce,
        })}`,
      async identify(code, nonce) {
        const token = microsoftToken.safeParse(
          await postForm(`${base}/${tenant}/oauth2/v2.0/token`, {
            client_id: clientId,
            client_secret: secret,
            grant_type: "authorization_code",
            code,
            redirect_uri: redirect,
            scope: SCOPE,
          }),
        );
        if (!token.success) throw new SignInError("Microsoft did not accept the sign-in code");
        // Multi-tenant: the issuer names the token's own tenant, which must be the tid claim.
        const payload = await verified(
          token.data.id_token,
          jwks,
          clientId,
          nonce,
          (p) => `${base}/${String(p.tid)}/v2.0`,
        );
        const claims = microsoftClaims.safeParse(payload);
        if (!claims.success) throw new SignInError("Microsoft's id_token lacks the tenant or object id");
        if (tenant !== "organizations" && claims.data.tid !== tenant)
          throw new SignInError("that account belongs to another tenant");
        return { provider: "microsoft", tenantId: claims.data.tid, objectId: claims.data.oid };
      },
    });
  }
  return providers;
}

/**
 * Teams tab single sign-on: Teams hands the tab an Entra access token for our app's exposed API
 * (authentication.getAuthToken), and the tab posts it here. The token is checked like the
 * Microsoft sign-in's id_token (signature by the identity platform's keys, audience our app,
 * issuer the token's own tenant, in the v2.0 or the v1 form) plus the access_as_user scope, and
 * names the person by the same tenant and object id. Null without MICROSOFT_APP_ID or PUBLIC_URL.
 */
export type TeamsSsoVerifier = (token: string) => Promise<SignInIdentity>;

export const TEAMS_SSO_SCOPE = "access_as_user";
const V1_ISSUER_HOST = "https://sts.windows.net";
const teamsSsoClaims = z.object({
  tid: z.string().min(1).max(100),
  oid: z.string().min(1).max(100),
  scp: z.string().max(2000),
});

export function teamsSsoVerifier(config: Config): TeamsSsoVerifier | null {
  if (!config.MICROSOFT_APP_ID || !config.PUBLIC_URL) return null;
  const appId = config.MICROSOFT_APP_ID;
  const base = config.MICROSOFT_LOGIN_URL ?? MICROSOFT_DEFAULT;
  // Against a stand-in login host (tests), v1 tokens name that host rather than sts.windows.net.
  const v1Host = config.MICROSOFT_LOGIN_URL ? base : V1_ISSUER_HOST;
  const singleTenant =
    config.MICROSOFT_APP_TYPE === "SingleTenant" ? (config.MICROSOFT_APP_TENANT_ID ?? null) : null;
  // The manifest's webApplicationInfo.resource; v1 tokens carry it, v2.0 ones the app id.
  const audience = [`api://${new URL(config.PUBLIC_URL).host}/${appId}`, appId];
  const jwks = createRemoteJWKSet(new URL(`${base}/common/discovery/v2.0/keys`));
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { audience, clockTolerance: 60 }));
    } catch (err) {
      throw new SignInError(`Teams token refused: ${(err as Error).message}`);
    }
    const claims = teamsSsoClaims.safeParse(payload);
    if (!claims.success) throw new SignInError("Teams token lacks the tenant, object id or scope");
    const { tid, oid, scp } = claims.data;
    if (payload.iss !== `${base}/${tid}/v2.0` && payload.iss !== `${v1Host}/${tid}/`)
      throw new SignInError(`Teams token issuer ${payload.iss} is not its tenant's`);
    if (!scp.split(" ").includes(TEAMS_SSO_SCOPE))
      throw new SignInError(`Teams token lacks the ${TEAMS_SSO_SCOPE} scope`);
    if (singleTenant && tid !== singleTenant) throw new SignInError("that account belongs to another tenant");
    return { provider: "microsoft", tenantId: tid, objectId: oid };
  };
}
