import { describe, expect, it } from 'vitest';
import { memoizedUntilFailure } from '../../../../functions/shared/memo';

describe('memoizedUntilFailure', () => {
  it('runs the load once and gives every caller, at once or later, the same promise', async () => {
    // Arrange
    let runs = 0;
    const load = memoizedUntilFailure(async () => {
      runs += 1;
      return { run: runs };
    });

    // Act
    const [first, second] = await Promise.all([load(), load()]);
    const later = await load();

    // Assess
    expect(runs).toBe(1);
    expect(second).toBe(first);
    expect(later).toBe(first);
  });

  it('forgets a failed load, so its callers see the error and the next call tries again', async () => {
    // Arrange
    let runs = 0;
    const load = memoizedUntilFailure(async () => {
      runs += 1;
      if (runs === 1) throw new Error('chunk not found');
      return 'loaded';
    });

    // Act
    const failed = load();
    const sharedFailure = load();
    await expect(failed).rejects.toThrow('chunk not found');
    await expect(sharedFailure).rejects.toThrow('chunk not found');
    const retried = await load();

    // Assess
    expect(retried).toBe('loaded');
    expect(runs).toBe(2);
    expect(await load()).toBe('loaded');
    expect(runs).toBe(2);
  });
});
