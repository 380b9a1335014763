import type { AreaNav } from '../area';

export const supervisionNav: AreaNav = {
  id: 'supervision',
  title: { zh: '监管', en: 'Supervision' },
  roles: ['admin', 'procurement', 'inspector', 'finance'],
  links: [
    { path: '/supervision/rankings', label: { zh: '考核排名', en: 'Rankings' } },
    { path: '/supervision/notices', label: { zh: '考核通报', en: 'Notices' }, roles: ['procurement', 'inspector', 'admin'] },
    { path: '/supervision/performance', label: { zh: '履约趋势', en: 'Performance' } },
    { path: '/supervision/map', label: { zh: '问题地图', en: 'Findings map' } },
    { path: '/supervision/audit', label: { zh: '审计记录', en: 'Audit trail' } },
  ],
  load: () => import('./index'),
};
