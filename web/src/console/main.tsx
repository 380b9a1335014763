/**
 * The office console: procurement, finance and supervision on a desktop (1366×768 and up).
 * Same origin, sign-in, typed client and language as the field app; a page of its own
 * (console.html) so a phone never downloads it. Each area's screens load when it is opened.
 */
import { render, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../styles.css';
import './console.css';
import { sessionStore, signOut, type Role } from '../auth/session';
import { language, setLanguage, t, useLanguage } from '../i18n';
import { navigate, useRoute } from '../router';
import { useStore } from '../store';
import { SignInScreen } from '../screens/sign-in';
import { ErrorBox, Loading } from '../ui/common';
import type { AreaNav, AreaScreens } from './area';
import { ct } from './messages';
import { procurementNav } from './procurement/nav';
import { financeNav } from './finance/nav';
import { supervisionNav } from './supervision/nav';

const areas: readonly AreaNav[] = [procurementNav, financeNav, supervisionNav];

function areasFor(roles: readonly Role[]): AreaNav[] {
  return areas.filter((area) => area.roles.some((role) => roles.includes(role)));
}

const loaded = new Map<string, AreaScreens>();

function AreaScreen({ area, path }: { area: AreaNav; path: string }) {
  const [screens, setScreens] = useState<AreaScreens | undefined>(loaded.get(area.id));
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (screens !== undefined) return;
    area.load().then(
      (module) => {
        loaded.set(area.id, module);
        setScreens(module);
      },
      (caught: unknown) => setError(caught),
    );
  }, [area, screens]);
  if (error !== undefined) return <ErrorBox error={error} />;
  if (screens === undefined) return <Loading />;
  return screens.screen(path) ?? <p class="box warn">{ct('notFound')}</p>;
}

function Content({ visible, path }: { visible: readonly AreaNav[]; path: string }): VNode {
  const area = visible.find((candidate) => path === `/${candidate.id}` || path.startsWith(`/${candidate.id}/`) || path.startsWith(`/${candidate.id}?`));
  if (area === undefined) return <p class="box warn">{ct('notFound')}</p>;
  // Keyed by area: moving to another area must not keep the first one's screens.
  return <AreaScreen key={area.id} area={area} path={path} />;
}

function Console() {
  useLanguage();
  const session = useStore(sessionStore);
  const path = useRoute();
  const visible = session === undefined ? [] : areasFor(session.roles);
  // The home of the first area the user may open.
  useEffect(() => {
    const home = visible[0]?.links[0]?.path;
    if (home !== undefined && (path === '/' || path === '')) navigate(home);
  }, [visible.map((area) => area.id).join(','), path]);
  const fieldUser = session !== undefined && (session.roles.includes('contractor') || session.roles.includes('inspector'));
  return (
    <div class="console">
      <a class="skip" href="#main">{ct('skipToContent')}</a>
      <header class="top">
        <strong class="brand">{ct('consoleName')}</strong>
        {session === undefined ? null : (
          <span class="who">{ct('signedInAs', { name: session.name ?? session.sub, roles: session.roles.map((role) => t(`role_${role}`)).join('、') })}</span>
        )}
        {fieldUser ? <a class="link" href="/#/">{ct('fieldApp')}</a> : null}
        <button type="button" class="link" lang={language() === 'zh' ? 'en' : 'zh-CN'} onClick={() => setLanguage(language() === 'zh' ? 'en' : 'zh')}>
          {t('language')}
        </button>
        {session === undefined ? null : (
          <button type="button" class="link" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        )}
      </header>
      <div class="console-body">
        {visible.length === 0 ? null : (
          <nav class="side" aria-label={ct('consoleName')}>
            {visible.map((area) => (
              <section key={area.id}>
                <h2>{area.title[language()]}</h2>
                <ul>
                  {area.links.filter((link) => link.roles === undefined || link.roles.some((role) => session?.roles.includes(role))).map((link) => (
                    <li key={link.path}>
                      <a href={`#${link.path}`} aria-current={path === link.path || path.startsWith(`${link.path}/`) || path.startsWith(`${link.path}?`) ? 'page' : undefined}>
                        {link.label[language()]}
                      </a>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </nav>
        )}
        <main id="main" tabIndex={-1}>
          {session === undefined ? <SignInScreen /> : visible.length === 0 ? <p class="box warn">{ct('notForRole')}</p> : <Content visible={visible} path={path} />}
        </main>
      </div>
    </div>
  );
}

/** Cognito's redirect comes back to /auth/callback (the field app's page), which sends office roles here. */
function boot(): void {
  document.documentElement.lang = language() === 'zh' ? 'zh-CN' : 'en';
  const root = document.getElementById('app')!;
  root.textContent = '';
  render(<Console />, root);
}

boot();
