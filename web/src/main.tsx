/**
 * The field app: one page, hash routes, Chinese first. Crews (contractor users) get their day,
 * their orders and the outbox; inspectors get patrol, the flagged-proof queue, complaints and
 * the month's spot checks. The service worker keeps the shell loadable without signal.
 */
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import './styles.css';
import { completeManagedLogin, sessionStore, signOut, type Role } from './auth/session';
import { appConfig } from './config';
import type { MessageKey } from './messages';
import { setLanguage, t, useLanguage } from './i18n';
import { jobsStore, startOutbox } from './offline/outbox';
import { match, navigate, useRoute } from './router';
import { onlineStore } from './net';
import { useStore } from './store';
import { CrewToday } from './screens/crew-today';
import { TaskScreen } from './screens/task';
import { QueueScreen } from './screens/queue';
import { SignInScreen } from './screens/sign-in';
import { OrdersScreen, RectificationScreen, WorkOrderScreen } from './screens/orders';
import { PatrolScreen } from './screens/patrol';
import { FlaggedScreen } from './screens/flagged';
import { ComplaintsScreen } from './screens/complaints';
import { SpotChecksScreen } from './screens/spot-checks';

function useOnline(): boolean {
  return useStore(onlineStore);
}

const crewNav: readonly [string, MessageKey][] = [
  ['/', 'navToday'],
  ['/orders', 'navOrders'],
  ['/queue', 'navQueue'],
];
const inspectorNav: readonly [string, MessageKey][] = [
  ['/', 'navPatrol'],
  ['/flagged', 'navFlagged'],
  ['/complaints', 'navComplaints'],
  ['/spot-checks', 'navSpotChecks'],
];

function fieldRole(roles: readonly Role[]): 'crew' | 'inspector' | undefined {
  if (roles.includes('contractor')) return 'crew';
  if (roles.includes('inspector')) return 'inspector';
  return undefined;
}

function Screen({ role, path }: { role: 'crew' | 'inspector'; path: string }) {
  if (role === 'crew') {
    const task = match('/tasks/:taskId', path);
    if (task !== undefined) return <TaskScreen taskId={task['taskId']!} />;
    const order = match('/orders/rectification/:orderId', path);
    if (order !== undefined) return <RectificationScreen orderId={order['orderId']!} />;
    const workOrder = match('/orders/work/:workOrderId', path);
    if (workOrder !== undefined) return <WorkOrderScreen workOrderId={workOrder['workOrderId']!} />;
    if (path === '/orders') return <OrdersScreen />;
    if (path === '/queue') return <QueueScreen />;
    if (path === '/yesterday') return <CrewToday yesterday />;
    return <CrewToday />;
  }
  if (path === '/flagged') return <FlaggedScreen />;
  if (path === '/complaints') return <ComplaintsScreen />;
  if (path === '/spot-checks') return <SpotChecksScreen />;
  return <PatrolScreen />;
}

/** Office roles work in the console (console.html); the field app sends them there. */
function ToConsole() {
  useEffect(() => location.replace('/console.html#/'), []);
  return (
    <p class="box info">
      {t('notForRole')} <a href="/console.html#/">{t('openConsole')}</a>
    </p>
  );
}

function App() {
  useLanguage();
  const session = useStore(sessionStore);
  const path = useRoute();
  const online = useOnline();
  const waiting = useStore(jobsStore).filter((job) => job.state === 'queued' || job.state === 'sending').length;
  const role = session === undefined ? undefined : fieldRole(session.roles);
  const nav = role === 'crew' ? crewNav : role === 'inspector' ? inspectorNav : [];
  return (
    <>
      <header class="top">
        <strong class="brand">{t('appName')}</strong>
        <span class={`net ${online ? 'on' : 'off'}`} role="status" data-testid="network">
          {online ? t('online') : t('offline')}
          {waiting > 0 ? ` · ${t('queued', { count: waiting })}` : ''}
        </span>
        <button type="button" class="link" lang={t('language') === 'English' ? 'en' : 'zh-CN'} onClick={() => setLanguage(t('language') === 'English' ? 'en' : 'zh')}>
          {t('language')}
        </button>
        {role === 'inspector' ? <a class="link" href="/console.html#/">{t('openConsole')}</a> : null}
        {session === undefined ? null : (
          <button type="button" class="link" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        )}
      </header>
      <main id="main">
        {session === undefined ? <SignInScreen /> : role === undefined ? <ToConsole /> : <Screen role={role} path={path} />}
      </main>
      {nav.length === 0 ? null : (
        <nav class="bottom" aria-label={t('appName')}>
          {nav.map(([to, key]) => (
            <a key={to} href={`#${to}`} aria-current={path === to ? 'page' : undefined} onClick={() => navigate(to)}>
              {t(key)}
            </a>
          ))}
        </nav>
      )}
    </>
  );
}

async function boot(): Promise<void> {
  document.documentElement.lang = t('language') === 'English' ? 'zh-CN' : 'en';
  // Cognito's redirect back: /auth/callback?code=…&state=…
  if (location.pathname === '/auth/callback') {
    const config = await appConfig();
    if (config.auth.mode === 'cognito') {
      await completeManagedLogin(config.auth, new URLSearchParams(location.search));
      history.replaceState(null, '', '/#/');
    }
  }
  startOutbox();
  if ('serviceWorker' in navigator && import.meta.env.PROD) void navigator.serviceWorker.register('/sw.js');
  const root = document.getElementById('app')!;
  root.textContent = ''; // the static "loading" line of index.html
  render(<App />, root);
}

void boot();
