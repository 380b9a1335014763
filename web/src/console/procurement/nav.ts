import type { AreaNav } from '../area';

export const procurementNav: AreaNav = {
  id: 'procurement',
  title: { zh: '采购', en: 'Procurement' },
  roles: ['procurement', 'admin'],
  links: [
    { path: '/procurement/segments', label: { zh: '路段', en: 'Segments' } },
    { path: '/procurement/contractors', label: { zh: '作业单位', en: 'Contractors' } },
    { path: '/procurement/tenders', label: { zh: '招标', en: 'Tenders' } },
    { path: '/procurement/contracts', label: { zh: '合同', en: 'Contracts' } },
  ],
  load: () => import('./index'),
};
