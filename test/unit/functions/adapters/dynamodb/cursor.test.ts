import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../../domain/errors';
import { decodeCursor, encodeCursor } from '../../../../../functions/adapters/dynamodb/cursor';
import { keys } from '../../../../../functions/adapters/dynamodb/keys';

const partition = { pk: keys.segmentsPartition('pudong') };
const tableAttributes = ['pk', 'sk'];
const gsiAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
const lastKey = { ...keys.segment('pudong', 'seg_k3v5q2ztb4xw7n6a') };

/** The error `action` throws; fails the test when it throws nothing. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

function expectCursorRefused(error: unknown): void {
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['query.cursor']);
}

describe('encodeCursor / decodeCursor', () => {
  it('round-trips a start key', () => {
    // Prepare
    const cursor = encodeCursor(lastKey);

    // Act
    const decoded = decodeCursor(cursor, partition, tableAttributes);

    // Assess
    expect(decoded).toEqual(lastKey);
  });

  it('round-trips a GSI start key with non-ASCII street names', () => {
    // Prepare
    const key = { ...lastKey, ...keys.segmentByStreet('pudong', '陆家嘴街道', 'seg_k3v5q2ztb4xw7n6a') };
    const expected = { gsi1pk: keys.streetPartition('pudong', '陆家嘴街道') };

    // Act
    const decoded = decodeCursor(encodeCursor(key), expected, gsiAttributes);

    // Assess
    expect(decoded).toEqual(key);
  });

  it('is opaque and URL-safe', () => {
    // Act
    const cursor = encodeCursor({ ...lastKey, sk: 'SEG#seg_????>>>>' });

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('pudong');
  });

  it('returns undefined without a cursor', () => {
    // Act
    const decoded = decodeCursor(undefined, partition, tableAttributes);

    // Assess
    expect(decoded).toBeUndefined();
  });

  it('refuses a cursor of another tenant\'s partition, naming query.cursor', () => {
    // Prepare
    const foreign = encodeCursor({ ...keys.segment('huangpu', 'seg_k3v5q2ztb4xw7n6a') });

    // Act
    const error = thrownBy(() => decodeCursor(foreign, partition, tableAttributes));

    // Assess
    expectCursorRefused(error);
  });

  it('refuses a cursor of another list (a segment\'s history) of the same tenant', () => {
    // Prepare
    const history = encodeCursor({ ...keys.segmentVersion('pudong', 'seg_k3v5q2ztb4xw7n6a', 3) });

    // Act
    const error = thrownBy(() => decodeCursor(history, partition, tableAttributes));

    // Assess
    expectCursorRefused(error);
  });

  it('refuses a tampered cursor whose bytes were edited', () => {
    // Prepare
    const cursor = encodeCursor(lastKey);
    const tampered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;

    // Act
    const error = thrownBy(() => decodeCursor(tampered, partition, tableAttributes));

    // Assess
    expectCursorRefused(error);
  });

  it('refuses a cursor that is not JSON, keeping the parse error as cause', () => {
    // Prepare
    const notJson = Buffer.from('pk=T#pudong#SEGMENTS', 'utf8').toString('base64url');

    // Act
    const error = thrownBy(() => decodeCursor(notJson, partition, tableAttributes));

    // Assess
    expectCursorRefused(error);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('refuses a cursor that is not base64url at all', () => {
    // Act
    const error = thrownBy(() => decodeCursor('%%% not a cursor %%%', partition, tableAttributes));

    // Assess
    expectCursorRefused(error);
  });

  it.each([
    ['an array', ['T#pudong#SEGMENTS', 'SEG#x']],
    ['null', null],
    ['a string', 'T#pudong#SEGMENTS'],
    ['a number value', { pk: 'T#pudong#SEGMENTS', sk: 7 }],
    ['a nested value', { pk: 'T#pudong#SEGMENTS', sk: { S: 'SEG#x' } }],
    ['too many attributes', { pk: 'T#pudong#SEGMENTS', a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' }],
  ])('refuses JSON that is %s', (_label, value) => {
    // Prepare
    const cursor = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

    // Act
    const error = thrownBy(() => decodeCursor(cursor, partition, tableAttributes));

    // Assess
    expectCursorRefused(error);
  });

  it('refuses a cursor that lacks the expected partition attribute', () => {
    // Prepare
    const cursor = encodeCursor({ sk: lastKey.sk });

    // Act
    const error = thrownBy(() => decodeCursor(cursor, partition, tableAttributes));

    // Assess
    expectCursorRefused(error);
  });
});
