import { DateTime } from 'luxon';
import * as z from 'zod';
import { CalendarDate } from '../dates';

/**
 * The tenant calendar (issue 4 "Exceptions and the calendar"): public holidays (法定节假日,
 * as the days off the State Council's notice gives, 放假) and make-up working days (调休上班),
 * as data the tenant maintains. Street cleaning runs every day; an activity marked
 * `holidays: 'skip'` does not run on a holiday; `weekdays` activities also run on make-up days.
 */

export const HolidayPeriod = z
  .strictObject({
    nameZh: z.string().trim().min(1).max(40).describe('e.g. 春节'),
    name: z.string().trim().min(1).max(80).optional(),
    from: CalendarDate.describe('first day off, inclusive'),
    to: CalendarDate.describe('last day off, inclusive'),
  })
  .meta({ id: 'HolidayPeriod' });
export type HolidayPeriod = z.infer<typeof HolidayPeriod>;

export const MakeUpWorkday = z
  .strictObject({ date: CalendarDate, forZh: z.string().trim().min(1).max(40).describe('the holiday it makes up for, e.g. 春节') })
  .meta({ id: 'MakeUpWorkday', description: '调休上班: a Saturday or Sunday worked in exchange for a holiday' });
export type MakeUpWorkday = z.infer<typeof MakeUpWorkday>;

export const TenantCalendarFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  holidays: z.array(HolidayPeriod).max(100),
  makeUpWorkdays: z.array(MakeUpWorkday).max(100),
  sources: z.array(z.string().trim().min(1).max(500)).max(20).default([]).describe('where the dates come from (the State Council notice)'),
});
export type TenantCalendarFields = z.infer<typeof TenantCalendarFields>;

export const TenantCalendar = TenantCalendarFields.superRefine((calendar, ctx) => {
  const holidayDays = new Map<string, number>();
  calendar.holidays.forEach((period, index) => {
    if (period.from > period.to) {
      ctx.addIssue({ code: 'custom', path: ['holidays', index, 'to'], message: `the holiday ends (${period.to}) before it starts (${period.from})` });
      return;
    }
    for (const day of daysOf(period)) {
      const other = holidayDays.get(day);
      if (other !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['holidays', index], message: `${day} is already in holidays.${other}` });
        return;
      }
      holidayDays.set(day, index);
    }
  });
  calendar.makeUpWorkdays.forEach((makeUp, index) => {
    const weekday = DateTime.fromISO(makeUp.date, { zone: 'utc' }).weekday;
    if (weekday < 6) ctx.addIssue({ code: 'custom', path: ['makeUpWorkdays', index, 'date'], message: `${makeUp.date} is a weekday already: a make-up working day is a Saturday or Sunday` });
    if (holidayDays.has(makeUp.date)) ctx.addIssue({ code: 'custom', path: ['makeUpWorkdays', index, 'date'], message: `${makeUp.date} is also a holiday` });
  });
}).meta({ id: 'TenantCalendar', description: '法定节假日 and 调休 as data' });
export type TenantCalendar = z.infer<typeof TenantCalendar>;

/** A calendar indexed for look-ups by date; build it once per derivation. */
export interface CompiledCalendar {
  /** A day off of a public holiday period (放假), weekend days inside the period included. */
  isHoliday(date: string): boolean;
  /** 调休: a Saturday or Sunday worked. */
  isMakeUpWorkday(date: string): boolean;
  /** A working day: Monday–Friday that is not a holiday, or a make-up working day. */
  isWorkday(date: string): boolean;
  /** The holiday's Chinese name on a day off, else undefined. */
  holidayName(date: string): string | undefined;
}

export function compileCalendar(calendar: Pick<TenantCalendar, 'holidays' | 'makeUpWorkdays'>): CompiledCalendar {
  const holidays = new Map<string, string>();
  for (const period of calendar.holidays) for (const day of daysOf(period)) holidays.set(day, period.nameZh);
  const makeUps = new Set(calendar.makeUpWorkdays.map((makeUp) => makeUp.date));
  return {
    isHoliday: (date) => holidays.has(date),
    isMakeUpWorkday: (date) => makeUps.has(date),
    isWorkday: (date) => makeUps.has(date) || (!holidays.has(date) && isoWeekday(date) <= 5),
    holidayName: (date) => holidays.get(date),
  };
}

/** Whether `date` is a day off of one of the calendar's holidays. */
export function isHoliday(calendar: Pick<TenantCalendar, 'holidays' | 'makeUpWorkdays'>, date: string): boolean {
  return compileCalendar(calendar).isHoliday(date);
}

/** Whether `date` is a working day: a weekday that is no holiday, or a make-up working day. */
export function isWorkday(calendar: Pick<TenantCalendar, 'holidays' | 'makeUpWorkdays'>, date: string): boolean {
  return compileCalendar(calendar).isWorkday(date);
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = DateTime.fromISO(date, { zone: 'utc' });
  if (!day.isValid) throw new RangeError(`'${date}' is not a calendar date`);
  return day.weekday;
}

function daysOf(period: { readonly from: string; readonly to: string }): string[] {
  const days: string[] = [];
  const last = DateTime.fromISO(period.to, { zone: 'utc' });
  for (let day = DateTime.fromISO(period.from, { zone: 'utc' }); day.isValid && day <= last; day = day.plus({ days: 1 })) {
    const iso = day.toISODate();
    if (iso !== null) days.push(iso);
  }
  return days;
}

/** A calendar with no holidays: every Monday–Friday works, every weekend rests. */
export const emptyCalendar: TenantCalendar = { name: 'no public holidays', holidays: [], makeUpWorkdays: [], sources: [] };

/**
 * 国务院办公厅关于2026年部分节假日安排的通知 (dated 2025-11-04), seeded as published:
 * - gov.cn: https://www.gov.cn/zhengce/content/202511/content_7047090.htm (cited by the
 *   lanceliao/china-holiday-calender data set) and .../zhengce/zhengceku/202511/content_7047091.htm
 *   (cited by NateScarlet/holiday-cn, whose 2026.json lists the same days); the gov.cn page
 *   itself was not opened here;
 * - full text as reprinted by Xinhua on 2025-11-04: https://politics.gmw.cn/2025-11/04/content_38391083.htm
 *   and https://www.hrbtv.net/folder963/2025-11-04/1096647.html — the dates below are copied
 *   from that text, item by item.
 * Holidays are the whole 放假调休 periods (weekend days inside them included), so an activity
 * that skips holidays pauses for the whole break, as offices do.
 */
export const china2026Calendar: TenantCalendar = {
  name: '2026年全国法定节假日及调休安排',
  holidays: [
    { nameZh: '元旦', name: "New Year's Day", from: '2026-01-01', to: '2026-01-03' }, // 1月1日(周四)至3日(周六)放假调休,共3天
    { nameZh: '春节', name: 'Spring Festival', from: '2026-02-15', to: '2026-02-23' }, // 2月15日(腊月二十八、周日)至23日(正月初七、周一),共9天
    { nameZh: '清明节', name: 'Qingming Festival', from: '2026-04-04', to: '2026-04-06' }, // 4月4日(周六)至6日(周一),共3天
    { nameZh: '劳动节', name: 'Labour Day', from: '2026-05-01', to: '2026-05-05' }, // 5月1日(周五)至5日(周二),共5天
    { nameZh: '端午节', name: 'Dragon Boat Festival', from: '2026-06-19', to: '2026-06-21' }, // 6月19日(周五)至21日(周日),共3天
    { nameZh: '中秋节', name: 'Mid-Autumn Festival', from: '2026-09-25', to: '2026-09-27' }, // 9月25日(周五)至27日(周日),共3天
    { nameZh: '国庆节', name: 'National Day', from: '2026-10-01', to: '2026-10-07' }, // 10月1日(周四)至7日(周三),共7天
  ],
  makeUpWorkdays: [
    { date: '2026-01-04', forZh: '元旦' }, // 1月4日(周日)上班
    { date: '2026-02-14', forZh: '春节' }, // 2月14日(周六)上班
    { date: '2026-02-28', forZh: '春节' }, // 2月28日(周六)上班
    { date: '2026-05-09', forZh: '劳动节' }, // 5月9日(周六)上班
    { date: '2026-09-20', forZh: '国庆节' }, // 9月20日(周日)上班
    { date: '2026-10-10', forZh: '国庆节' }, // 10月10日(周六)上班
  ],
  sources: [
    '国务院办公厅关于2026年部分节假日安排的通知(2025年11月4日)',
    'https://www.gov.cn/zhengce/content/202511/content_7047090.htm',
    'https://politics.gmw.cn/2025-11/04/content_38391083.htm',
  ],
};
