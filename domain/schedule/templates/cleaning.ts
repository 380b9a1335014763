import type { ServiceStandard } from '../standard';

/**
 * 城市道路清扫保洁作业标准(通用版) — road cleaning, matching the `cleaning-standard` rulebook
 * (its missed-task prices name sweep, patrol_clean, wash and water).
 *
 * Grades: primary = 一级, secondary = 二级, branch = 三级, alley = 四级 (our reading of the
 * grade tables below, which number grades 1–4).
 * Sources (../shared/PRACTICE.md §2 "Frequencies and time windows"):
 * - Qingpu, Shanghai (https://m.wenke99.com/p-11305063.html): sweeps per day 3 / 2 / 2 / 1–2,
 *   patrol cleaning 16 h / 14 h / 12 h / none, washing 3–5x a week (grade 1), weekly
 *   (grade 2); ≥ 2 sprays a day above 30 °C.
 * - "Another standard" (http://jsfyhj.fht360.com/product/2254141.html, …/2254031.html):
 *   grades 1–2 swept first before 07:00 and again by 16:00, grade 3 before 07:30; patrol
 *   05:30–22:00 (grades 1–2) and 06:30–20:30 (grade 3); machine washing 22:00–05:00, every 2
 *   days (grade 1) or 3 days (grade 2); avoid the 07–09 and 16–18 peaks; no washing below 3 °C
 *   (a weather suspension, exceptions.ts).
 * - Northern-city scheme (https://www.renrendoc.com/paper/211522141.html): seasonal windows,
 *   summer 3/15–11/15 and winter otherwise.
 * - Suqian: 97.54 % of cleaning mechanised (http://www.xinchangits.cn/news/HTML_PC/202403/155.html),
 *   so sweeping of grades 1–2 counts as vehicle work and keeps out of the traffic bans.
 * Street cleaning runs every day, holidays included (issue 4). The windows pass both the
 * default bans (07–09, 16–18) and Xi'an's (07–10, 17–20).
 */
export const cleaningStandard: ServiceStandard = {
  standardId: 'cleaning-standard',
  serviceType: 'cleaning',
  name: '城市道路清扫保洁作业标准(通用版)',
  version: 1,
  activities: [
    {
      activity: 'sweep',
      grades: ['primary', 'secondary'],
      vehicle: true, // Suqian: mechanised sweeping
      seasons: [
        // first sweep before 07:00, second by 16:00 ("another standard"); seasons after the northern-city scheme
        { name: 'summer', from: '03-15', to: '11-15', days: { kind: 'every_day' }, windows: [{ start: '04:30', end: '07:00' }, { start: '13:30', end: '16:00' }] },
        // our choice: a later first round on dark winter mornings, still finished by 07:00
        { name: 'winter', from: '11-16', to: '03-14', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '07:00' }, { start: '13:00', end: '16:00' }] },
      ],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 2,
    },
    {
      activity: 'sweep',
      grades: ['branch'],
      vehicle: false, // our choice: branch roads are swept by hand
      seasons: [
        // grade 3 before 07:30 ("another standard"); 2 sweeps a day (Qingpu); the afternoon window is our choice
        { name: 'all year', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '07:30' }, { start: '13:30', end: '16:00' }] },
      ],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 2,
    },
    {
      activity: 'sweep',
      grades: ['alley'],
      vehicle: false, // alleys are too narrow for sweepers
      // Qingpu grade 4: 1–2 sweeps; once a day (issue 4: "alleys once"); window our choice
      seasons: [{ name: 'all year', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '08:00' }] }],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 2,
    },
    {
      activity: 'patrol_clean',
      grades: ['primary', 'secondary'],
      vehicle: false,
      // patrol 05:30–22:00 for grades 1–2 ("another standard"; Qingpu 16 h / 14 h)
      seasons: [{ name: 'all year', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '05:30', end: '22:00' }] }],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 4, // our choice: a 16-hour patrol shows itself in more than two photos
    },
    {
      activity: 'patrol_clean',
      grades: ['branch'],
      vehicle: false,
      // patrol 06:30–20:30 for grade 3 ("another standard"; Qingpu 12 h)
      seasons: [{ name: 'all year', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '06:30', end: '20:30' }] }],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 3, // our choice
    },
    {
      activity: 'wash',
      grades: ['primary'],
      vehicle: true,
      seasons: [
        // machine washing 22:00–05:00 every 2 days for grade 1 ("another standard"; Qingpu 3–5x a week)
        { name: 'summer', from: '03-15', to: '11-15', days: { kind: 'every_n_days', n: 2, anchor: 'contract_start' }, windows: [{ start: '22:00', end: '05:00' }] },
        // our choice: weekly at midday in winter, when water on the road at night would freeze;
        // below 3 °C a weather suspension stops it ("another standard")
        { name: 'winter', from: '11-16', to: '03-14', days: { kind: 'every_n_days', n: 7, anchor: 'contract_start' }, windows: [{ start: '10:00', end: '15:00' }] },
      ],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 2,
    },
    {
      activity: 'wash',
      grades: ['secondary'],
      vehicle: true,
      // every 3 days for grade 2 ("another standard"); no winter washing (our choice; Qingpu: weekly)
      seasons: [{ name: 'summer', from: '03-15', to: '11-15', days: { kind: 'every_n_days', n: 3, anchor: 'contract_start' }, windows: [{ start: '22:00', end: '05:00' }] }],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 2,
    },
    {
      activity: 'water',
      grades: ['primary'],
      vehicle: true,
      // Qingpu: ≥ 2 sprays a day above 30 °C. The heat season is our choice for Shanghai; a cool
      // day's sprays are withdrawn with a weather suspension.
      seasons: [{ name: 'hot season', from: '06-15', to: '09-15', days: { kind: 'every_day' }, windows: [{ start: '10:00', end: '11:30' }, { start: '13:30', end: '15:00' }] }],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 2,
    },
  ],
};
