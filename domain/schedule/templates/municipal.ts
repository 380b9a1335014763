import type { ServiceStandard } from '../standard';

/**
 * 市政道路设施巡查标准 — facility patrols, matching the `municipal-roads` rulebook (its
 * missed-task price names facility_patrol).
 *
 * Issue 4: "municipal facility patrols daily on strict roads, weekly elsewhere". Strict roads
 * (严禁路) are patrolled every day, holidays included, because a missing cover there is found
 * by a patrol or by an accident (the rulebook's MU-COVER: made safe in 2 h, TxDOT); the
 * others on Tuesdays, skipping holidays (our choice of day). Windows are office hours (our
 * choice); patrol cars are not work vehicles under the traffic bans.
 */
export const municipalStandard: ServiceStandard = {
  standardId: 'municipal-roads',
  serviceType: 'municipal',
  name: '市政道路设施巡查标准(通用版)',
  version: 1,
  activities: [
    {
      activity: 'facility_patrol',
      grades: ['primary', 'secondary', 'branch', 'alley'],
      flags: ['strict'],
      vehicle: false,
      seasons: [{ name: 'all year', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '09:00', end: '17:00' }] }],
      holidays: 'run',
      graceMinutes: 30,
      minPhotos: 2,
    },
    {
      activity: 'facility_patrol',
      grades: ['primary', 'secondary', 'branch', 'alley'],
      exceptFlags: ['strict'],
      vehicle: false,
      seasons: [{ name: 'all year', from: '01-01', to: '12-31', days: { kind: 'days_of_week', days: [2] }, windows: [{ start: '09:00', end: '17:00' }] }],
      holidays: 'skip',
      graceMinutes: 30,
      minPhotos: 2,
    },
  ],
};
