/** The phone's position, asked once per screen; a refusal or a timeout is an answer, not an error. */
export interface Fix {
  readonly lon: number;
  readonly lat: number;
  readonly accuracyM: number;
  /** Epoch ms of the fix. */
  readonly at: number;
}

export type FixResult = { readonly fix: Fix } | { readonly problem: 'denied' | 'unavailable' | 'timeout' | 'unsupported' };

export function currentFix(timeoutMs = 15_000): Promise<FixResult> {
  if (!('geolocation' in navigator)) return Promise.resolve({ problem: 'unsupported' });
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (position) =>
        resolve({ fix: { lon: position.coords.longitude, lat: position.coords.latitude, accuracyM: Math.max(1, Math.round(position.coords.accuracy)), at: position.timestamp } }),
      (error) => resolve({ problem: error.code === error.PERMISSION_DENIED ? 'denied' : error.code === error.TIMEOUT ? 'timeout' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 },
    );
  });
}
