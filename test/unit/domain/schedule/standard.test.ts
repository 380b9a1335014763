import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../domain/errors';
import { rulebookTemplates } from '../../../../domain/rulebooks/templates';
import { serviceTypes } from '../../../../domain/service-types';
import {
  ServiceStandard,
  TrafficBan,
  classIndex,
  classMask,
  defaultTrafficBans,
  inSeason,
  monthDayIndex,
  parseStandard,
  spansOverlap,
  standardIssues,
  trafficBanIssues,
  validateStandard,
  windowSpan,
  xianTrafficBans,
  type ServiceStandardInput,
} from '../../../../domain/schedule/standard';
import { standardFromTemplate, standardTemplateById, standardTemplateFor, standardTemplates } from '../../../../domain/schedule/templates';
import { oneActivityStandard } from './fixtures';

const unnamedBans = [
  { start: '07:00', end: '09:00' },
  { start: '16:00', end: '18:00' },
];

function washStandard(windows: { start: string; end: string }[], vehicle = true): ServiceStandard {
  return oneActivityStandard({ activity: 'wash', vehicle, seasons: [{ name: 'summer', from: '03-15', to: '11-15', days: { kind: 'every_day' }, windows }] });
}

describe('shipped standards', () => {
  it.each(standardTemplates.map((standard) => [standard.standardId, standard] as const))('%s passes every rule under the default and the Xi’an traffic bans', (_id, standard) => {
    expect(validateStandard(standard, { trafficBans: defaultTrafficBans })).toEqual([]);
    expect(validateStandard(standard, { trafficBans: xianTrafficBans })).toEqual([]);
  });

  it.each(standardTemplates.map((standard) => [standard.standardId, standard] as const))('%s parses unchanged through the ServiceStandard schema', (_id, standard) => {
    expect(ServiceStandard.parse(standard)).toEqual(standard);
  });

  it('ships one standard per service type', () => {
    expect(standardTemplates.map((standard) => standard.serviceType).sort()).toEqual([...serviceTypes].sort());
  });

  it.each(rulebookTemplates.map((template) => [template.templateId, template] as const))(
    'every activity the %s rulebook prices a miss for is an activity of the standard for its service type',
    (_id, template) => {
      const activities = new Set(standardTemplateFor(template.serviceType).activities.map((entry) => entry.activity));

      const priced = template.rulebook.missedTasks.byActivity.map((price) => price.activity);

      expect(priced.filter((activity) => !activities.has(activity))).toEqual([]);
    },
  );

  it('finds a standard by id and answers undefined for an unknown one', () => {
    expect(standardTemplateById('municipal-roads')?.serviceType).toBe('municipal');
    expect(standardTemplateById('cleaning-beijing')).toBeUndefined();
  });

  it('copies a template deeply and records where it came from', () => {
    const copy = standardFromTemplate(standardTemplateFor('cleaning'), 'jingan-cleaning', 3);

    copy.activities[0]!.grades.push('alley');

    expect(copy).toMatchObject({ standardId: 'jingan-cleaning', version: 3, basedOn: { templateId: 'cleaning-standard', templateVersion: 1 } });
    expect(standardTemplateFor('cleaning').activities[0]!.grades).toEqual(['primary', 'secondary']);
  });

  it('sweeps primary roads twice a day, the first round before 07:00 (PRACTICE §2)', () => {
    const sweep = standardTemplateFor('cleaning').activities.find((entry) => entry.activity === 'sweep' && entry.grades.includes('primary'));

    for (const season of sweep?.seasons ?? []) {
      expect(season.windows).toHaveLength(2);
      expect(season.windows[0]!.end <= '07:00').toBe(true);
    }
  });
});

describe('traffic bans', () => {
  it('refuses a vehicle window inside a ban, naming the window, the activity, the season and the ban', () => {
    const standard = washStandard([{ start: '07:30', end: '08:30' }]);

    const issues = trafficBanIssues(standard, unnamedBans);

    expect(issues).toEqual([
      { path: 'activities.0.seasons.0.windows.0', message: 'window 07:30–08:30 of wash (summer) overlaps the traffic ban 07:00–09:00' },
    ]);
  });

  it('names the ban when the tenant named it', () => {
    const issues = trafficBanIssues(washStandard([{ start: '15:00', end: '16:30' }]), defaultTrafficBans);

    expect(issues[0]?.message).toBe('window 15:00–16:30 of wash (summer) overlaps the traffic ban 16:00–18:00 (evening peak)');
  });

  it('catches a night window that runs into the next morning’s ban', () => {
    const issues = trafficBanIssues(washStandard([{ start: '22:00', end: '07:30' }]), unnamedBans);

    expect(issues.map((issue) => issue.message)).toEqual(['window 22:00–07:30 of wash (summer) overlaps the traffic ban 07:00–09:00']);
  });

  it('lets a window end exactly when a ban starts', () => {
    expect(trafficBanIssues(washStandard([{ start: '22:00', end: '07:00' }, { start: '09:00', end: '16:00' }]), unnamedBans)).toEqual([]);
  });

  it('leaves activities without vehicles alone', () => {
    expect(trafficBanIssues(washStandard([{ start: '07:30', end: '08:30' }], false), unnamedBans)).toEqual([]);
  });

  it('applies Xi’an’s longer bans (07–10, 17–20)', () => {
    const standard = washStandard([{ start: '09:30', end: '11:00' }]);

    expect(trafficBanIssues(standard, defaultTrafficBans)).toEqual([]);
    expect(trafficBanIssues(standard, xianTrafficBans)).toHaveLength(1);
  });

  it('answers a parse with a ValidationError whose paths name the request field', () => {
    const input: ServiceStandardInput = washStandard([{ start: '06:00', end: '08:00' }]);

    const parse = (): ServiceStandard => parseStandard(input, { trafficBans: unnamedBans });

    expect(parse).toThrow(ValidationError);
    try {
      parse();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { path: 'body.activities.0.seasons.0.windows.0', message: 'window 06:00–08:00 of wash (summer) overlaps the traffic ban 07:00–09:00' },
      ]);
    }
  });

  it('refuses a ban without length', () => {
    expect(TrafficBan.safeParse({ start: '07:00', end: '07:00' }).success).toBe(false);
  });
});

describe('standard rules', () => {
  it('accepts seasons that wrap the year end and meet without overlapping', () => {
    const standard = oneActivityStandard({
      seasons: [
        { name: 'summer', from: '03-15', to: '11-15', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '07:00' }] },
        { name: 'winter', from: '11-16', to: '03-14', days: { kind: 'every_day' }, windows: [{ start: '06:00', end: '07:00' }] },
      ],
    });

    expect(standardIssues(standard)).toEqual([]);
  });

  it('refuses a wrapping season that overlaps another, naming the first shared day', () => {
    const standard = oneActivityStandard({
      seasons: [
        { name: 'summer', from: '03-15', to: '11-15', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '07:00' }] },
        { name: 'winter', from: '11-01', to: '03-31', days: { kind: 'every_day' }, windows: [{ start: '06:00', end: '07:00' }] },
      ],
    });

    const issues = standardIssues(standard);

    expect(issues).toEqual([{ path: 'activities.0.seasons.1', message: 'season winter (11-01 – 03-31) of sweep overlaps season summer (03-15 – 11-15) from 03-15' }]);
  });

  it('refuses overlapping windows of one activity, also across midnight', () => {
    const standard = oneActivityStandard({
      seasons: [{ name: 'all year', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '22:00', end: '05:00' }, { start: '04:00', end: '06:00' }] }],
    });

    expect(standardIssues(standard)).toEqual([
      { path: 'activities.0.seasons.0.windows.1', message: 'window 04:00–06:00 of sweep (all year) overlaps window 22:00–05:00: a proof could belong to either' },
    ]);
  });

  it('refuses two entries of one activity that reach the same segments in the same season', () => {
    const base = oneActivityStandard({ grades: ['primary', 'branch'], seasons: [{ name: 'all year', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '07:00' }] }] });
    const standard: ServiceStandard = { ...base, activities: [base.activities[0]!, { ...base.activities[0]!, grades: ['branch'], flags: ['strict'] }] };

    const issues = standardIssues(standard);

    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('activities.1');
    expect(issues[0]?.message).toContain('branch segments flagged strict');
  });

  it('allows two entries of one activity split by flags', () => {
    const municipal = standardTemplateFor('municipal');

    expect(standardIssues(municipal)).toEqual([]);
    expect(classMask(municipal.activities[0]!) & classMask(municipal.activities[1]!)).toBe(0);
  });

  it('refuses a flag both required and excluded', () => {
    const standard = oneActivityStandard({ flags: ['strict'], exceptFlags: ['strict'], seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '06:00' }] }] });

    expect(standardIssues(standard)).toEqual([{ path: 'activities.0.exceptFlags', message: 'flag strict is both required and excluded' }]);
  });

  it('refuses repeated days and grades', () => {
    const standard = oneActivityStandard({
      grades: ['alley', 'alley'],
      seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'days_of_week', days: [1, 3, 1] }, windows: [{ start: '05:00', end: '06:00' }] }],
    });

    expect(standardIssues(standard).map((issue) => issue.path)).toEqual(['activities.0.grades.1', 'activities.0.seasons.0.days.days.2']);
  });

  it('refuses a window that starts and ends at the same time, a month-day that does not exist and a bad time', () => {
    const result = ServiceStandard.safeParse({
      ...oneActivityStandard({ seasons: [{ name: 'x', from: '02-30', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '06:00', end: '06:00' }, { start: '24:00', end: '01:00' }] }] }),
    });

    expect(result.success).toBe(false);
    const paths = result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['activities.0.seasons.0.from', 'activities.0.seasons.0.windows.0.end', 'activities.0.seasons.0.windows.1.start']));
  });

  it('fills the DESIGN defaults: grace 30 minutes, 2 photos', () => {
    const { graceMinutes: _grace, minPhotos: _photos, ...entry } = oneActivityStandard({
      seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '06:00' }] }],
    }).activities[0]!;

    const parsed = ServiceStandard.parse({ ...oneActivityStandard({ seasons: entry.seasons }), activities: [entry] });

    expect(parsed.activities[0]).toMatchObject({ graceMinutes: 30, minPhotos: 2 });
  });
});

describe('clock and calendar helpers', () => {
  it('puts a window that ends at or before its start on the next day', () => {
    expect(windowSpan({ start: '22:00', end: '05:00' })).toEqual({ start: 1320, end: 1740 });
    expect(windowSpan({ start: '05:00', end: '22:00' })).toEqual({ start: 300, end: 1320 });
  });

  it('treats spans as half-open', () => {
    expect(spansOverlap({ start: 300, end: 420 }, { start: 420, end: 540 })).toBe(false);
    expect(spansOverlap({ start: 300, end: 421 }, { start: 420, end: 540 })).toBe(true);
  });

  it('places month-days in a leap year, 02-29 included', () => {
    expect(monthDayIndex('01-01')).toBe(0);
    expect(monthDayIndex('02-29')).toBe(59);
    expect(monthDayIndex('12-31')).toBe(365);
    expect(monthDayIndex('04-31')).toBeUndefined();
  });

  it('matches seasons that wrap the year end', () => {
    const winter = { from: '11-16', to: '03-14' };

    expect(['11-16', '12-31', '01-01', '03-14'].map((day) => inSeason(day, winter))).toEqual([true, true, true, true]);
    expect(['11-15', '03-15', '07-01'].map((day) => inSeason(day, winter))).toEqual([false, false, false]);
  });

  it('numbers the 16 segment classes by grade and flags', () => {
    expect(classIndex('primary', [])).toBe(0);
    expect(classIndex('alley', ['strict', 'controlled'])).toBe(15);
    expect(classMask({ grades: ['alley'], flags: ['strict'] })).toBe((1 << 13) | (1 << 15));
  });
});
