import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../domain/errors';
import { uploadPolicy } from '../../../../domain/proofs/upload-policy';
import { contractId, taskId } from './fixtures';

const input = {
  tenantId: 'kangbashi',
  contractId,
  subjectId: taskId,
  localDate: '2026-11-23',
  contentType: 'image/heic',
  uuid: '3f2b8c1e-9a4d-4f6b-8e2a-1c0d9e8f7a6b',
  now: new Date('2026-11-22T21:00:00Z'),
};

describe('uploadPolicy', () => {
  it('fixes the key, bounds the size, pins the type and expires in 15 minutes', () => {
    const policy = uploadPolicy(input);

    const key = `proofs/kangbashi/${contractId}/2026-11-23/${taskId}/3f2b8c1e-9a4d-4f6b-8e2a-1c0d9e8f7a6b.heic`;
    expect(policy).toEqual({
      key,
      conditions: [
        ['eq', '$key', key],
        ['content-length-range', 10_240, 15_728_640],
        ['eq', '$Content-Type', 'image/heic'],
      ],
      fields: { 'Content-Type': 'image/heic' },
      expiresInSeconds: 900,
      expiresAt: new Date('2026-11-22T21:15:00Z'),
    });
  });

  it('refuses a type outside the list, naming body.contentType', () => {
    const act = (): unknown => uploadPolicy({ ...input, contentType: 'image/gif' });

    expect(act).toThrow(ValidationError);
    try {
      act();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([{ path: 'body.contentType', message: expect.stringContaining("'image/gif'"), zh: expect.stringContaining("'image/gif' 不是") }]);
    }
  });

  it('files a work order photo under the order id', () => {
    const policy = uploadPolicy({ ...input, subjectId: 'wo_01jd8k2m3n4p5q6r7s8t9v0w1x', contentType: 'image/jpeg' });

    expect(policy.key).toBe(`proofs/kangbashi/${contractId}/2026-11-23/wo_01jd8k2m3n4p5q6r7s8t9v0w1x/3f2b8c1e-9a4d-4f6b-8e2a-1c0d9e8f7a6b.jpg`);
  });

  it('treats a bad server-chosen part as a wiring mistake', () => {
    expect(() => uploadPolicy({ ...input, uuid: 'x' })).toThrow(RangeError);
  });
});
