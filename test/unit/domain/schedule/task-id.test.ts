import { describe, expect, it } from 'vitest';
import { TaskIdWriter, crc32, decodeTaskId, encodeTaskId, taskIdPrefix, type TaskIdParts } from '../../../../domain/schedule/task-id';
import { contractId, seg } from './fixtures';

const parts: TaskIdParts = {
  contractId,
  segmentId: seg.primary,
  activity: 'sweep',
  windowStartMs: Date.parse('2026-07-01T04:30:00+08:00'),
};

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

describe('task ids', () => {
  it('round-trips a ULID contract, a digest segment and a known activity', () => {
    const id = encodeTaskId(parts);

    expect(decodeTaskId(id)).toEqual(parts);
  });

  it('is 64 characters for the usual ids, tsk_ then lower-case base32', () => {
    const id = encodeTaskId(parts);

    expect(id).toHaveLength(64);
    expect(id).toMatch(/^tsk_[a-z2-7]{60}$/);
  });

  it('keeps layout version 1 byte for byte (ids are stored: this string must never change)', () => {
    expect(encodeTaskId({ contractId: 'con_01jnq000000000000000000001', segmentId: 'seg_aaaaaaaaaaaaaaaa', activity: 'sweep', windowStartMs: Date.parse('2026-07-01T04:30:00+08:00') })).toBe(
      'tsk_kqmdw3qbaea4kzyoaeazk3qaaaaaaaaaaaaaaaaaaaaqaaaaaaaaaaaaaaaa',
    );
  });

  it('gives the same task the same id every time', () => {
    expect(encodeTaskId({ ...parts })).toBe(encodeTaskId(parts));
  });

  it.each([
    ['a ULID segment', { ...parts, segmentId: 'seg_01jnqw2x8z3k4m5n6p7q8r9stv' }],
    ['ids of another shape', { ...parts, contractId: 'contract-7', segmentId: 'seg_n4j7w2q8e5r3t6yu' }],
    ['an own activity slug', { ...parts, activity: 'graffiti_removal' }],
    ['every known activity code', { ...parts, activity: 'facility_patrol' }],
    ['the far future', { ...parts, windowStartMs: 4_000_000_000 * 60_000 }],
  ])('round-trips %s', (_name, value) => {
    expect(decodeTaskId(encodeTaskId(value))).toEqual(value);
  });

  it('refuses every single changed character', () => {
    const id = encodeTaskId(parts);
    let accepted = 0;
    for (let i = taskIdPrefix.length; i < id.length; i += 1) {
      for (const char of base32) {
        if (char === id[i]) continue;
        if (decodeTaskId(id.slice(0, i) + char + id.slice(i + 1)) !== undefined) accepted += 1;
      }
    }

    expect(accepted).toBe(0);
  });

  it('refuses made-up ids without a read', () => {
    const id = encodeTaskId(parts);

    expect(decodeTaskId(`tsk_${'a'.repeat(60)}`)).toBeUndefined();
    expect(decodeTaskId(`tsk_${'q7'.repeat(30)}`)).toBeUndefined();
    expect(decodeTaskId('tsk_')).toBeUndefined();
    expect(decodeTaskId(id.toUpperCase())).toBeUndefined();
    expect(decodeTaskId(`tsq_${id.slice(4)}`)).toBeUndefined();
    expect(decodeTaskId(`${id}a`)).toBeUndefined();
    expect(decodeTaskId(id.slice(0, -1))).toBeUndefined();
    expect(decodeTaskId(`${id.slice(0, 10)}1${id.slice(11)}`)).toBeUndefined();
  });

  it('refuses parts no task can have', () => {
    expect(() => encodeTaskId({ ...parts, windowStartMs: parts.windowStartMs + 1_000 })).toThrow(RangeError);
    expect(() => encodeTaskId({ ...parts, activity: 'Sweep!' })).toThrow(RangeError);
    expect(() => encodeTaskId({ ...parts, segmentId: '' })).toThrow(RangeError);
  });

  it('computes the standard CRC-32 (check value of "123456789")', () => {
    expect(crc32(Array.from('123456789', (char) => char.charCodeAt(0)))).toBe(0xcbf43926);
  });

  it('writes the same ids on the fast path', () => {
    const writer = new TaskIdWriter(contractId);
    const head = writer.head(seg.primary);
    const slot = TaskIdWriter.slot('sweep', parts.windowStartMs);

    expect(slot).toBeDefined();
    expect(TaskIdWriter.id(head, slot!, slot!.registerFor(head.restLength))).toBe(encodeTaskId(parts));
    expect(TaskIdWriter.slot('graffiti_removal', parts.windowStartMs)).toBeUndefined();
  });
});
