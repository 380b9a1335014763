import { describe, expect, it } from 'vitest';
import { TenantCalendar, china2026Calendar, compileCalendar, emptyCalendar, isHoliday, isWorkday, isoWeekday } from '../../../../domain/schedule/calendar';

describe('2026 calendar (国务院办公厅关于2026年部分节假日安排的通知)', () => {
  const calendar = compileCalendar(china2026Calendar);

  it('parses through the TenantCalendar schema', () => {
    expect(TenantCalendar.parse(china2026Calendar)).toEqual(china2026Calendar);
  });

  it('has the notice’s 33 days off and 6 make-up working days', () => {
    const days = china2026Calendar.holidays.reduce((sum, period) => sum + (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000 + 1, 0);

    expect(days).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(china2026Calendar.makeUpWorkdays).toHaveLength(6);
  });

  it.each([
    ['2026-01-01', '元旦'],
    ['2026-01-03', '元旦'], // a Saturday inside the break
    ['2026-02-15', '春节'],
    ['2026-02-23', '春节'],
    ['2026-04-06', '清明节'],
    ['2026-05-05', '劳动节'],
    ['2026-06-19', '端午节'],
    ['2026-09-27', '中秋节'],
    ['2026-10-07', '国庆节'],
  ])('%s is a holiday (%s)', (date, name) => {
    expect(calendar.isHoliday(date)).toBe(true);
    expect(calendar.holidayName(date)).toBe(name);
    expect(calendar.isWorkday(date)).toBe(false);
  });

  it.each(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'])('%s is a make-up working day on a weekend', (date) => {
    expect(isoWeekday(date)).toBeGreaterThanOrEqual(6);
    expect(calendar.isMakeUpWorkday(date)).toBe(true);
    expect(calendar.isWorkday(date)).toBe(true);
    expect(calendar.isHoliday(date)).toBe(false);
  });

  it('treats ordinary weekdays as working days and ordinary weekends as rest days', () => {
    expect(isWorkday(china2026Calendar, '2026-10-08')).toBe(true); // Thursday after National Day
    expect(isWorkday(china2026Calendar, '2026-10-11')).toBe(false); // Sunday
    expect(isHoliday(china2026Calendar, '2026-10-08')).toBe(false);
  });

  it('knows no holidays when the tenant keeps none', () => {
    expect(isHoliday(emptyCalendar, '2026-10-01')).toBe(false);
    expect(isWorkday(emptyCalendar, '2026-10-01')).toBe(true);
  });
});

describe('calendar rules', () => {
  it('refuses a make-up day that is a weekday or a holiday, and holidays that overlap or run backwards', () => {
    const result = TenantCalendar.safeParse({
      name: 'broken',
      holidays: [
        { nameZh: '国庆节', from: '2026-10-01', to: '2026-10-07' },
        { nameZh: '重阳节', from: '2026-10-07', to: '2026-10-08' },
        { nameZh: '倒序', from: '2026-12-02', to: '2026-12-01' },
      ],
      makeUpWorkdays: [
        { date: '2026-10-09', forZh: '国庆节' },
        { date: '2026-10-03', forZh: '国庆节' },
      ],
    });

    expect(result.success).toBe(false);
    const paths = result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['holidays.1', 'holidays.2.to', 'makeUpWorkdays.0.date', 'makeUpWorkdays.1.date']);
  });
});
