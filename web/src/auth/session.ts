/**
 * Who is signed in. The ID token (the API's JWT authorizer checks its audience) lives in
 * sessionStorage: gone with the tab, never in localStorage. It is refreshed a minute before it
 * expires — with Cognito's refresh token in AWS, by asking the dev sign-in again locally.
 *
 * AWS: Cognito managed login, OAuth 2.0 authorization code flow with PKCE (S256), no client
 * secret. Local: /dev/sign-in issues the demo district's dev tokens (infra/local/dev-sign-in.ts).
 */
import { appConfig, type AuthConfig } from '../config';
import { store } from '../store';

export type Role = 'procurement' | 'contractor' | 'inspector' | 'finance' | 'admin';

export interface Session {
  readonly idToken: string;
  readonly refreshToken?: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly tenantId: string;
  readonly contractorId?: string;
  readonly name?: string;
}

const storageKey = 'xiuhua.session';

function readSaved(): Session | undefined {
  try {
    const text = sessionStorage.getItem(storageKey);
    if (text === null) return undefined;
    const session = JSON.parse(text) as Session;
    return session.expiresAt > Date.now() || session.refreshToken !== undefined ? session : undefined;
  } catch {
    return undefined;
  }
}

export const sessionStore = store<Session | undefined>(readSaved());

function save(session: Session | undefined): void {
  if (session === undefined) sessionStorage.removeItem(storageKey);
  else sessionStorage.setItem(storageKey, JSON.stringify(session));
  sessionStore.set(session);
}

function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT');
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

/** A session from an ID token's claims (the same claims the API's authorizer reads). */
export function sessionFromTokens(idToken: string, refreshToken?: string, name?: string): Session {
  const claims = decodeClaims(idToken);
  const groups = claims['cognito:groups'];
  const roles = (Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.split(',') : []).map(String) as Role[];
  const contractorId = claims['custom:contractor_id'];
  return {
    idToken,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    expiresAt: Number(claims['exp']) * 1000,
    sub: String(claims['sub']),
    roles,
    tenantId: String(claims['custom:tenant']),
    ...(typeof contractorId === 'string' ? { contractorId } : {}),
    ...(name === undefined ? {} : { name }),
  };
}

export function signInWith(session: Session): void {
  save(session);
}

/** Local only: a dev token for a demo user from `npm start`'s /dev/sign-in. */
export async function devSignIn(sub: string, name?: string): Promise<Session> {
  const response = await fetch('/dev/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub }) });
  if (!response.ok) throw new Error(`/dev/sign-in: HTTP ${response.status}`);
  const body = (await response.json()) as { idToken: string; name?: string };
  return sessionFromTokens(body.idToken, undefined, body.name ?? name);
}

let refreshing: Promise<Session | undefined> | undefined;

async function refresh(session: Session): Promise<Session | undefined> {
  const config = await appConfig();
  if (config.auth.mode === 'dev') return devSignIn(session.sub, session.name);
  if (session.refreshToken === undefined) return undefined;
  const tokens = await tokenRequest(config.auth, { grant_type: 'refresh_token', refresh_token: session.refreshToken });
  return tokens === undefined ? undefined : sessionFromTokens(tokens.id_token, session.refreshToken, session.name);
}

/** The bearer token for the next request, refreshed when it is about to expire. */
export async function bearer(): Promise<string | undefined> {
  const session = sessionStore.get();
  if (session === undefined) return undefined;
  if (session.expiresAt - Date.now() > 60_000) return session.idToken;
  // A dropped connection must not sign the crew out: keep the old token and retry later.
  if (!navigator.onLine) return session.idToken;
  refreshing ??= refresh(session)
    .catch(() => undefined)
    .finally(() => {
      refreshing = undefined;
    });
  const next = await refreshing;
  if (next === undefined) {
    if (session.expiresAt <= Date.now()) save(undefined);
    return session.expiresAt > Date.now() ? session.idToken : undefined;
  }
  save(next);
  return next.idToken;
}

export function onUnauthorized(): void {
  const session = sessionStore.get();
  if (session !== undefined && session.expiresAt <= Date.now()) save(undefined);
}

export async function signOut(): Promise<void> {
  save(undefined);
  const config = await appConfig();
  if (config.auth.mode === 'cognito') {
    const url = new URL(`https://${config.auth.domain}/logout`);
    url.searchParams.set('client_id', config.auth.clientId);
    url.searchParams.set('logout_uri', config.auth.logoutUri);
    location.assign(url.toString());
  }
}

// --- Cognito managed login, authorization code flow with PKCE -------------------------------

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** RFC 7636: a 43-char verifier and its S256 challenge. */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return { verifier, challenge: base64url(digest) };
}

export async function startManagedLogin(auth: Extract<AuthConfig, { mode: 'cognito' }>): Promise<void> {
  const { verifier, challenge } = await pkcePair();
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem('xiuhua.pkce', JSON.stringify({ verifier, state }));
  const url = new URL(`https://${auth.domain}/oauth2/authorize`);
  for (const [name, value] of Object.entries({ response_type: 'code', client_id: auth.clientId, redirect_uri: auth.redirectUri, scope: 'openid email profile', code_challenge_method: 'S256', code_challenge: challenge, state })) {
    url.searchParams.set(name, value);
  }
  location.assign(url.toString());
}

interface TokenAnswer {
  readonly id_token: string;
  readonly refresh_token?: string;
}

async function tokenRequest(auth: Extract<AuthConfig, { mode: 'cognito' }>, form: Record<string, string>): Promise<TokenAnswer | undefined> {
  const response = await fetch(`https://${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: auth.clientId, ...form }),
  });
  return response.ok ? ((await response.json()) as TokenAnswer) : undefined;
}

/** /auth/callback?code=&state=: exchanges the code (with the verifier) for tokens. */
export async function completeManagedLogin(auth: Extract<AuthConfig, { mode: 'cognito' }>, params: URLSearchParams): Promise<Session> {
  const saved = JSON.parse(sessionStorage.getItem('xiuhua.pkce') ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem('xiuhua.pkce');
  const code = params.get('code');
  if (code === null || saved.verifier === undefined || params.get('state') !== saved.state) throw new Error(params.get('error_description') ?? 'sign-in was not completed (state mismatch)');
  const tokens = await tokenRequest(auth, { grant_type: 'authorization_code', code, redirect_uri: auth.redirectUri, code_verifier: saved.verifier });
  if (tokens === undefined) throw new Error('the sign-in code was refused');
  const session = sessionFromTokens(tokens.id_token, tokens.refresh_token);
  save(session);
  return session;
}
