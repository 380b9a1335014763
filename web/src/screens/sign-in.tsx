/**
 * Sign-in. AWS: Cognito managed login (code flow + PKCE). Local: the demo district's users,
 * each signed in with a dev token from /dev/sign-in (served by `npm start` only).
 */
import { useState } from 'preact/hooks';
import { appConfig } from '../config';
import type { MessageKey } from '../messages';
import { t } from '../i18n';
import { devSignIn, signInWith, startManagedLogin } from '../auth/session';
import { ErrorBox, Loading, useLoad } from '../ui/common';

interface DevUser {
  readonly sub: string;
  readonly role: string;
  readonly name: string;
  readonly detail?: string;
}

export function SignInScreen() {
  const loaded = useLoad(async () => {
    const config = await appConfig();
    if (config.auth.mode === 'cognito') return { config, users: [] as DevUser[] };
    const response = await fetch('/dev/sign-in');
    if (!response.ok) throw new Error(`/dev/sign-in: HTTP ${response.status}`);
    return { config, users: ((await response.json()) as { users: DevUser[] }).users };
  }, []);
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (loaded.data === undefined) return <Loading />;
  const { config, users } = loaded.data;
  if (config.auth.mode === 'cognito') {
    const auth = config.auth;
    return (
      <div class="sign-in">
        <h1>{t('appName')}</h1>
        <button type="button" class="primary" onClick={() => void startManagedLogin(auth)}>
          {t('signInCognito')}
        </button>
      </div>
    );
  }
  async function signIn(user: DevUser): Promise<void> {
    setBusy(user.sub);
    setError(undefined);
    try {
      signInWith(await devSignIn(user.sub, user.name));
      location.hash = '/';
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }
  return (
    <div class="sign-in">
      <h1>{t('signInTitle')}</h1>
      <p class="muted">{t('signInLocalNote')}</p>
      {error === undefined ? null : <ErrorBox error={error} />}
      <ul class="users">
        {users.map((user) => (
          <li key={user.sub}>
            <button type="button" class="user" disabled={busy !== undefined} onClick={() => void signIn(user)} data-sub={user.sub}>
              <strong>{t(`role_${user.role}` as MessageKey)}</strong>
              <span>{user.name}</span>
              {user.detail === undefined ? null : <small>{user.detail}</small>}
              {busy === user.sub ? <small>{t('signingIn')}</small> : null}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
