import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knownActivities } from '../../../../domain/schedule/standard';
import { TaskIdWriter, decodeTaskId, encodeTaskId, type TaskIdParts } from '../../../../domain/schedule/task-id';

const runs = { numRuns: 100 };

const crockford = '0123456789abcdefghjkmnpqrstvwxyz';
const base32 = 'abcdefghijklmnopqrstuvwxyz234567';
const chars = (alphabet: string, length: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...alphabet), { minLength: length, maxLength: length }).map((list) => list.join(''));

const ulid = fc.tuple(fc.constantFrom(...'01234567'), chars(crockford, 25)).map(([first, rest]) => first + rest);
const idOf = (prefix: 'con' | 'seg'): fc.Arbitrary<string> =>
  fc.oneof(
    ulid.map((value) => `${prefix}_${value}`),
    chars(base32, 16).map((value) => `${prefix}_${value}`),
    fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
  );

const parts: fc.Arbitrary<TaskIdParts> = fc.record({
  contractId: idOf('con'),
  segmentId: idOf('seg'),
  activity: fc.oneof(fc.constantFrom(...knownActivities), fc.stringMatching(/^[a-z][a-z0-9_]{1,39}$/)),
  windowStartMs: fc.integer({ min: 0, max: 0xffffffff }).map((minute) => minute * 60_000),
});

describe('task id properties', () => {
  it('decodes every id back to its parts', () => {
    fc.assert(
      fc.property(parts, (value) => {
        expect(decodeTaskId(encodeTaskId(value))).toEqual(value);
      }),
      runs,
    );
  });

  it('writes the same id on the derivation’s fast path', () => {
    fc.assert(
      fc.property(parts, fc.constantFrom(...knownActivities), (value, activity) => {
        const writer = new TaskIdWriter(value.contractId);
        const head = writer.head(value.segmentId);
        const slot = TaskIdWriter.slot(activity, value.windowStartMs)!;

        expect(TaskIdWriter.id(head, slot, slot.registerFor(head.restLength))).toBe(encodeTaskId({ ...value, activity }));
      }),
      runs,
    );
  });

  it('refuses an id with any one character changed', () => {
    fc.assert(
      fc.property(parts, fc.nat(), fc.constantFrom(...base32), (value, at, replacement) => {
        const id = encodeTaskId(value);
        const index = 4 + (at % (id.length - 4));
        fc.pre(id[index] !== replacement);

        expect(decodeTaskId(id.slice(0, index) + replacement + id.slice(index + 1))).toBeUndefined();
      }),
      runs,
    );
  });

  it('refuses random text', () => {
    fc.assert(
      fc.property(chars(base32, 60), (text) => {
        expect(decodeTaskId(`tsk_${text}`)).toBeUndefined();
      }),
      runs,
    );
  });
});
