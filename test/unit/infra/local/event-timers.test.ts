import { describe, expect, it } from 'vitest';
import type { EventHandlerManifest } from '../../../../functions/events/manifest';
import { startEventTimers, timerMinutesFromEnv } from '../../../../infra/local/event-timers';

const fake: EventHandlerManifest = {
  name: 'fake-sweep',
  entry: 'test/helpers/fake-event-handler.ts',
  description: 'test',
  everyMinutes: 60,
  input: { tenants: ['t1'] },
  timeoutSeconds: 10,
  mainTable: ['GetItem'],
};

describe('local event timers', () => {
  it('runs a handler at start with the manifest payload, again while it reports a backlog, and prints what it recorded', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    const timers = startEventTimers({ handlers: [fake], print: (line) => lines.push(line) });
    await timers.firstRun;
    timers.stop();

    // Assess: the first call reported a backlog, so a second ran; only the first recorded anything.
    expect(lines).toEqual(['[fake-sweep] recorded 3 missed tasks: t1 3 (more to catch up)']);
  });

  it('reads the period override from XIUHUA_EVENT_TIMER_MINUTES and refuses nonsense', () => {
    expect(timerMinutesFromEnv(undefined)).toBeUndefined();
    expect(timerMinutesFromEnv('5')).toBe(5);
    expect(() => timerMinutesFromEnv('soon')).toThrow(RangeError);
    expect(() => timerMinutesFromEnv('0')).toThrow(RangeError);
  });
});
