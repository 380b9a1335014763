import { useEffect, useState } from 'preact/hooks';
import { currentFix, type Fix, type FixResult } from '../geo/position';
import { t } from '../i18n';
import type { MessageKey } from '../messages';

/** The phone's position for a submission, asked on mount, with a retry. */
export function useFix(): { fix?: Fix; problem?: string; locate: () => void } {
  const [result, setResult] = useState<FixResult | undefined>();
  const locate = (): void => {
    setResult(undefined);
    void currentFix().then(setResult);
  };
  useEffect(locate, []);
  if (result === undefined) return { locate };
  return 'fix' in result ? { fix: result.fix, locate } : { problem: result.problem, locate };
}

export function GpsLine({ fix, problem, locate }: { fix?: Fix | undefined; problem?: string | undefined; locate: () => void }) {
  if (fix !== undefined) return <p class="muted">{t('gpsFix', { lat: fix.lat.toFixed(6), lon: fix.lon.toFixed(6), accuracy: fix.accuracyM })}</p>;
  if (problem === undefined) return <p class="muted" role="status">{t('gpsWaiting')}</p>;
  return (
    <div class="box warn" role="alert">
      <p>{t(`gps_${problem}` as MessageKey)}</p>
      <button type="button" onClick={locate}>{t('gpsRetry')}</button>
    </div>
  );
}
