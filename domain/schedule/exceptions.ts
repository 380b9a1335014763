import * as z from 'zod';
import { CalendarDate } from '../dates';
import type { FieldIssue } from '../errors';
import { ServiceType } from '../service-types';
import { Activity, Window, spansOverlap, windowSpan, type ServiceStandardFields, type TrafficBan } from './standard';

/**
 * Schedule exceptions as data (DESIGN §3 Tasks; issue 4 "Exceptions and the calendar"). Each
 * says why and who, and is stored and audited like any record; the derivation only reads them.
 * - segment suspension: a segment takes no tasks for a date range (施工占道, road works);
 * - weather suspension: an activity takes no tasks on a day, optionally only on some
 *   segments (no washing below 3 °C, PRACTICE §2: "stop below 3 °C"; no spraying in a storm);
 * - event windows: extra windows on given dates and segments (重大活动保障).
 * A suspension always wins: an event window on a suspended segment or activity is not a task.
 */

const SegmentIds = z.array(z.string().min(1).max(64)).min(1, 'name at least one segment').max(5_000);
const Reason = z.string().trim().min(1).max(500);
const Author = z.string().trim().min(1).max(100).describe('who declared it (user id or name)');

export const SegmentSuspension = z
  .object({
    kind: z.literal('segment_suspension'),
    exceptionId: z.string().min(1).max(64),
    segmentIds: SegmentIds,
    from: CalendarDate.describe('first day without tasks, inclusive'),
    to: CalendarDate.describe('last day without tasks, inclusive'),
    activities: z.array(Activity).min(1).max(50).optional().describe('only these activities; all when absent'),
    reason: Reason.describe('e.g. 施工占道:长江路雨污分流改造'),
    author: Author,
  })
  .refine((suspension) => suspension.from <= suspension.to, { message: 'a suspension ends on or after the day it starts', path: ['to'] })
  .meta({ id: 'SegmentSuspension' });
export type SegmentSuspension = z.infer<typeof SegmentSuspension>;

export const WeatherSuspension = z
  .object({
    kind: z.literal('weather_suspension'),
    exceptionId: z.string().min(1).max(64),
    date: CalendarDate.describe('the day whose windows are suspended (a task belongs to the day it starts)'),
    activity: Activity,
    segmentIds: SegmentIds.optional().describe('only these segments; all when absent'),
    reason: Reason.describe('e.g. 最低气温低于3℃,停止冲洗'),
    author: Author,
  })
  .meta({ id: 'WeatherSuspension' });
export type WeatherSuspension = z.infer<typeof WeatherSuspension>;

export const EventWindows = z
  .object({
    kind: z.literal('event_windows'),
    exceptionId: z.string().min(1).max(64),
    serviceType: ServiceType.describe('the contracts that serve the segments for this service type get the windows'),
    activity: Activity,
    dates: z.array(CalendarDate).min(1).max(62),
    segmentIds: SegmentIds,
    windows: z.array(Window).min(1).max(24),
    graceMinutes: z.number().int().min(0).max(240).optional().describe("default: the standard's for the activity, else 30"),
    minPhotos: z.number().int().min(1).max(20).optional().describe("default: the standard's for the activity, else 2"),
    reason: Reason.describe('e.g. 马拉松赛事保障'),
    author: Author,
  })
  .meta({ id: 'EventWindows' });
export type EventWindows = z.infer<typeof EventWindows>;

export const ScheduleException = z
  .discriminatedUnion('kind', [SegmentSuspension, WeatherSuspension, EventWindows])
  .meta({ id: 'ScheduleException', description: 'segment_suspension 施工占道, weather_suspension, event_windows 重大活动保障' });
export type ScheduleException = z.infer<typeof ScheduleException>;

/**
 * Event windows of an activity the standard does with vehicles, checked against the traffic
 * bans like the standard's own windows: an event does not lift a traffic ban.
 */
export function eventBanIssues(event: EventWindows, standard: ServiceStandardFields, bans: readonly TrafficBan[]): FieldIssue[] {
  const vehicle = standard.activities.some((entry) => entry.activity === event.activity && entry.vehicle);
  if (!vehicle) return [];
  const issues: FieldIssue[] = [];
  event.windows.forEach((window, index) => {
    for (const ban of bans) {
      if (spansOverlap(windowSpan(window), windowSpan(ban))) {
        issues.push({ path: `windows.${index}`, message: `window ${window.start}–${window.end} of ${event.activity} (event) overlaps the traffic ban ${ban.start}–${ban.end}` });
      }
    }
  });
  return issues;
}
