/**
 * What the app needs to know about where it runs, read once from /app-config.json: written by
 * the CDK deployment in AWS (Cognito managed login) and served by `npm start` locally (dev
 * sign-in). Map tiles are optional: without a source the segments draw on a plain background.
 */
export interface TileSource {
  readonly url: string;
  readonly attribution: string;
  /** wgs84 for Tianditu (CGCS2000 ≈ WGS84), gcj02 for AMap/Tencent: see geo/datum.ts. */
  readonly datum: 'wgs84' | 'gcj02';
  readonly subdomains?: string;
}

export type AuthConfig =
  | { readonly mode: 'dev' }
  | { readonly mode: 'cognito'; readonly domain: string; readonly clientId: string; readonly redirectUri: string; readonly logoutUri: string };

export interface AppConfig {
  readonly auth: AuthConfig;
  readonly tiles?: TileSource;
}

let loaded: AppConfig | undefined;

export async function appConfig(): Promise<AppConfig> {
  if (loaded !== undefined) return loaded;
  const response = await fetch('/app-config.json', { cache: 'no-cache' });
  if (!response.ok) throw new Error(`/app-config.json: HTTP ${response.status}`);
  loaded = (await response.json()) as AppConfig;
  return loaded;
}
