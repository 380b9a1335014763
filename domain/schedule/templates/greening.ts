import type { ServiceStandard } from '../standard';

/**
 * 城市道路绿化养护作业标准 — green belts along roads, matching the `greening-class1`
 * rulebook (its missed-task prices name prune, irrigate and pest).
 *
 * Care classes follow CJJ/T 287-2018's 一级/二级/三级养护 naming (its per-grade tables were not
 * retrieved, see the rulebook template): primary and secondary roads get class-1 care,
 * branch roads class 2, alleys none — alleys rarely have green belts; a district that has
 * them adds an entry (all three are our choice).
 * Sources: issue 4 ("watering only May–September"; "irrigation and pruning cycles by
 * maintenance grade"); PRACTICE.md §2 Qingxiu Mountain class-1 care (grass < 8 cm, weed-free
 * ≥ 90 %) motivates the twice-monthly trim of class 1. Frequencies and windows are our choice.
 * Greening pauses on public holidays except irrigation: plants need water regardless.
 */
export const greeningStandard: ServiceStandard = {
  standardId: 'greening-standard',
  serviceType: 'greening',
  name: '城市道路绿化养护作业标准(通用版)',
  version: 1,
  activities: [
    {
      activity: 'irrigate',
      grades: ['primary', 'secondary'],
      vehicle: true, // water trucks on the carriageway
      // May–September (issue 4); every 2 days for class 1, before the morning peak (our choice)
      seasons: [{ name: 'summer', from: '05-01', to: '09-30', days: { kind: 'every_n_days', n: 2, anchor: 'contract_start' }, windows: [{ start: '05:00', end: '07:00' }] }],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 2,
    },
    {
      activity: 'irrigate',
      grades: ['branch'],
      vehicle: true,
      // class 2: every 3 days (our choice)
      seasons: [{ name: 'summer', from: '05-01', to: '09-30', days: { kind: 'every_n_days', n: 3, anchor: 'contract_start' }, windows: [{ start: '05:00', end: '07:00' }] }],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 2,
    },
    {
      activity: 'prune',
      grades: ['primary', 'secondary'],
      vehicle: false,
      seasons: [
        // class 1: hedges and lawns trimmed twice a month in the growing season (our choice; Qingxiu: grass < 8 cm)
        { name: 'growing', from: '04-01', to: '10-31', days: { kind: 'days_of_month', days: [5, 20] }, windows: [{ start: '09:00', end: '16:00' }] },
        // dormant-season tree pruning once a month (our choice); wraps the year end
        { name: 'dormant', from: '11-01', to: '03-31', days: { kind: 'days_of_month', days: [15] }, windows: [{ start: '09:00', end: '16:00' }] },
      ],
      holidays: 'skip',
      graceMinutes: 60, // our choice: a day's trimming round may run over
      minPhotos: 2,
    },
    {
      activity: 'prune',
      grades: ['branch'],
      vehicle: false,
      seasons: [
        { name: 'growing', from: '04-01', to: '10-31', days: { kind: 'days_of_month', days: [10] }, windows: [{ start: '09:00', end: '16:00' }] },
        { name: 'dormant', from: '11-01', to: '03-31', days: { kind: 'days_of_month', days: [15] }, windows: [{ start: '09:00', end: '16:00' }] },
      ],
      holidays: 'skip',
      graceMinutes: 60,
      minPhotos: 2,
    },
    {
      activity: 'pest',
      grades: ['primary', 'secondary', 'branch'],
      vehicle: false, // backpack sprayers
      // every 14 days April–October (our choice); early, while the air is calm
      seasons: [{ name: 'growing', from: '04-01', to: '10-31', days: { kind: 'every_n_days', n: 14, anchor: 'contract_start' }, windows: [{ start: '06:00', end: '09:00' }] }],
      holidays: 'skip',
      graceMinutes: 30,
      minPhotos: 2,
    },
  ],
};
