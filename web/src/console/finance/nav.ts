import type { AreaNav } from '../area';

export const financeNav: AreaNav = {
  id: 'finance',
  title: { zh: '财务', en: 'Finance' },
  roles: ['finance', 'admin'],
  links: [{ path: '/finance/month', label: { zh: '月度结算', en: 'Month close' } }],
  load: () => import('./index'),
};
