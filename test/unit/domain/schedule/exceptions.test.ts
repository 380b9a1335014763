import { describe, expect, it } from 'vitest';
import { EventWindows, ScheduleException, eventBanIssues } from '../../../../domain/schedule/exceptions';
import { defaultTrafficBans } from '../../../../domain/schedule/standard';
import { standardTemplateFor } from '../../../../domain/schedule/templates';
import { seg } from './fixtures';

const marathon: EventWindows = {
  kind: 'event_windows',
  exceptionId: 'exc_4',
  serviceType: 'cleaning',
  activity: 'wash',
  dates: ['2026-10-18'],
  segmentIds: [seg.primary],
  windows: [{ start: '03:00', end: '06:00' }],
  reason: '马拉松赛事保障',
  author: 'usr_procure_wang',
};

describe('schedule exceptions', () => {
  it('parses each kind with its reason and author', () => {
    const parsed = [
      ScheduleException.parse({ kind: 'segment_suspension', exceptionId: 'exc_1', segmentIds: [seg.primary], from: '2026-07-10', to: '2026-07-12', reason: '施工占道', author: 'usr_procure_wang' }),
      ScheduleException.parse({ kind: 'weather_suspension', exceptionId: 'exc_2', date: '2026-01-20', activity: 'wash', reason: '最低气温低于3℃,停止冲洗', author: 'usr_inspect_zhao' }),
      ScheduleException.parse(marathon),
    ];

    expect(parsed.map((exception) => exception.kind)).toEqual(['segment_suspension', 'weather_suspension', 'event_windows']);
  });

  it('refuses a suspension that ends before it starts, or without a reason', () => {
    const result = ScheduleException.safeParse({ kind: 'segment_suspension', exceptionId: 'exc_1', segmentIds: [seg.primary], from: '2026-07-12', to: '2026-07-10', reason: ' ', author: 'x' });

    expect(result.success).toBe(false);
    expect(result.success ? [] : result.error.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['reason', 'to']);
  });

  it('keeps event windows of vehicle activities out of the traffic bans', () => {
    const standard = standardTemplateFor('cleaning');

    expect(eventBanIssues(marathon, standard, defaultTrafficBans)).toEqual([]);
    expect(eventBanIssues({ ...marathon, windows: [{ start: '06:00', end: '07:30' }] }, standard, defaultTrafficBans)).toEqual([
      { path: 'windows.0', message: 'window 06:00–07:30 of wash (event) overlaps the traffic ban 07:00–09:00' },
    ]);
    expect(eventBanIssues({ ...marathon, activity: 'patrol_clean', windows: [{ start: '06:00', end: '07:30' }] }, standard, defaultTrafficBans)).toEqual([]);
  });
});
