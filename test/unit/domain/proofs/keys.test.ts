import { describe, expect, it } from 'vitest';
import { parseProofKey, proofKey, type ProofKeyParts } from '../../../../domain/proofs/keys';
import { encodeTaskId } from '../../../../domain/schedule/task-id';
import { contractId, taskId } from './fixtures';

const parts: ProofKeyParts = {
  tenantId: 'kangbashi',
  contractId,
  localDate: '2026-11-23',
  subjectId: taskId,
  uuid: '3f2b8c1e-9a4d-4f6b-8e2a-1c0d9e8f7a6b',
  contentType: 'image/jpeg',
};
const key = `proofs/kangbashi/${contractId}/2026-11-23/${taskId}/3f2b8c1e-9a4d-4f6b-8e2a-1c0d9e8f7a6b.jpg`;

describe('proofKey', () => {
  it('lays the key out as DESIGN §5 says', () => {
    expect(proofKey(parts)).toBe(key);
  });

  it.each([
    ['image/jpeg', 'jpg'],
    ['image/png', 'png'],
    ['image/heic', 'heic'],
    ['image/webp', 'webp'],
  ] as const)('stores %s under .%s and reads it back', (contentType, ext) => {
    const built = proofKey({ ...parts, contentType });
    expect(built.endsWith(`.${ext}`)).toBe(true);
    expect(parseProofKey(built)).toEqual({ ...parts, contentType, subjectKind: 'task' });
  });

  it('refuses parts no proof can have', () => {
    expect(() => proofKey({ ...parts, uuid: 'not-a-uuid' })).toThrow(RangeError);
    expect(() => proofKey({ ...parts, localDate: '2026-02-30' })).toThrow(RangeError);
    expect(() => proofKey({ ...parts, tenantId: '../x' })).toThrow(RangeError);
    expect(() => proofKey({ ...parts, contentType: 'image/gif' as never })).toThrow(RangeError);
  });
});

describe('parseProofKey', () => {
  it('round-trips a key', () => {
    expect(parseProofKey(key)).toEqual({ ...parts, subjectKind: 'task' });
  });

  it.each([
    ['rectification', 'rec_01jd8k2m3n4p5q6r7s8t9v0w1x'],
    ['work_order', 'wo_01jd8k2m3n4p5q6r7s8t9v0w1x'],
    ['inspection', 'ins_01jd8k2m3n4p5q6r7s8t9v0w1x'],
  ] as const)('files a %s subject under its id at level 4', (subjectKind, subjectId) => {
    const built = proofKey({ ...parts, subjectId });

    expect(built).toBe(key.replace(taskId, subjectId));
    expect(parseProofKey(built)).toEqual({ ...parts, subjectId, subjectKind });
  });

  it('refuses a subject id of no known kind when building', () => {
    expect(() => proofKey({ ...parts, subjectId: 'tsk_nope' })).toThrow(/not a task, rectification order, work order or inspection id/);
  });

  const otherContractTask = encodeTaskId({ contractId: 'con_zzzzzzzzzzzzzzzz', segmentId: 'seg_abcdefghijklmnop', activity: 'sweep', windowStartMs: 0 });
  it.each([
    ['another prefix', key.replace('proofs/', 'exports/')],
    ['no prefix', key.slice('proofs/'.length)],
    ['a missing level', `proofs/kangbashi/${contractId}/${taskId}/3f2b8c1e-9a4d-4f6b-8e2a-1c0d9e8f7a6b.jpg`],
    ['an extra level', key.replace('/2026-11-23/', '/2026-11-23/x/')],
    ['a jpeg extension', key.replace(/\.jpg$/, '.jpeg')],
    ['an upper-case extension', key.replace(/\.jpg$/, '.JPG')],
    ['a gif', key.replace(/\.jpg$/, '.gif')],
    ['no extension', key.replace(/\.jpg$/, '')],
    ['an upper-case uuid', key.replace('3f2b8c1e', '3F2B8C1E')],
    ['a not-a-date', key.replace('2026-11-23', '2026-13-01')],
    ['a made-up task id', key.replace(taskId, `${taskId.slice(0, -2)}aa`)],
    ['a task of another contract', key.replace(taskId, otherContractTask)],
    ['a bad contract id', key.replaceAll(contractId, 'contract-1')],
    ['an order id of the wrong length', key.replace(taskId, 'rec_01jd8k2m3n4p5q6r7s8t9v0w1')],
    ['an upper-case order id', key.replace(taskId, 'wo_01JD8K2M3N4P5Q6R7S8T9V0W1X')],
    ['an unknown subject prefix', key.replace(taskId, 'prf_01jd8k2m3n4p5q6r7s8t9v0w1x')],
    ['an inspection id of the wrong length', key.replace(taskId, 'ins_01jd8k2m3n4p5q6r7s8t9v0w1xy')],
    ['an upper-case inspection id', key.replace(taskId, 'ins_01JD8K2M3N4P5Q6R7S8T9V0W1X')],
    ['an inspection id with a foreign character', key.replace(taskId, 'ins_01jd8k2m3n4p5q6r7s8t9v0w1-')],
    ['a trailing slash', `${key}/`],
    ['an empty string', ''],
  ])('ignores %s', (_label, foreign) => {
    expect(parseProofKey(foreign)).toBeUndefined();
  });
});
