import { describe, expect, it } from 'vitest';
import { checkProof, distinctPhotoCount, evidenceFailures, exifFlags, geofenceLimitM, type EvidenceCheckItem } from '../../../../domain/proofs/checks';
import type { SegmentGeometry } from '../../../../domain/segments/schema';
import { at, evidence, goodInput, lat0, lon0, otherTaskId, windowEnd, windowStart } from './fixtures';

const minutes = (date: Date, count: number): Date => new Date(date.getTime() + count * 60_000);
const codes = (result: ReturnType<typeof checkProof>): string[] => result.failures.map((failure) => failure.code);

describe('checkProof', () => {
  it('accepts a proof that meets every rule', () => {
    const result = checkProof(goodInput());

    expect(result).toEqual({ accepted: true, failures: [], flags: [], geofence: { distanceM: 10, limitM: 50, accuracyCreditM: 8 } });
  });

  describe('window (grace widens the end only)', () => {
    it('refuses a capture after window end + grace, with the times in the tenant zone', () => {
      const result = checkProof(goodInput({ claim: { ...goodInput().claim, capturedAt: new Date('2026-11-22T23:41:00Z') } }));

      expect(result.accepted).toBe(false);
      expect(result.failures).toMatchObject([{ code: 'outside-window', message: 'captured 07:41, window 04:30–07:00 + 30 min' }]);
    });

    it.each([
      ['the window start', windowStart, true],
      ['a minute before the start', minutes(windowStart, -1), false],
      ['a second before the start', new Date(windowStart.getTime() - 1000), false],
      ['the end plus grace', minutes(windowEnd, 30), true],
      ['a second after end plus grace', new Date(minutes(windowEnd, 30).getTime() + 1000), false],
    ])('at %s accepted=%s', (_label, capturedAt, accepted) => {
      const result = checkProof(goodInput({ claim: { ...goodInput().claim, capturedAt } }));

      expect(result.accepted).toBe(accepted);
    });

    it('shows the date when the capture is on another day', () => {
      const result = checkProof(goodInput({ claim: { ...goodInput().claim, capturedAt: new Date('2026-11-21T22:00:00Z') } }));

      expect(result.failures[0]?.message).toBe('captured 2026-11-22 06:00, window 04:30–07:00 + 30 min');
    });

    it('omits the grace from the message when there is none', () => {
      const input = goodInput();
      const result = checkProof({ ...input, task: { ...input.task, graceMinutes: 0 }, claim: { ...input.claim, capturedAt: minutes(windowEnd, 1) } });

      expect(result.failures[0]?.message).toBe('captured 07:01, window 04:30–07:00');
    });

    it('defaults the grace to 30 minutes', () => {
      const input = goodInput();
      const task = { taskId: input.task.taskId, windowStart, windowEnd, segmentId: input.task.segmentId };

      expect(checkProof({ ...input, task, claim: { ...input.claim, capturedAt: minutes(windowEnd, 30) } }).accepted).toBe(true);
      expect(checkProof({ ...input, task, claim: { ...input.claim, capturedAt: minutes(windowEnd, 31) } }).accepted).toBe(false);
    });
  });

  describe('geofence', () => {
    const gps = (north: number, accuracyM = 0, east = 0): ReturnType<typeof goodInput>['claim'] => ({
      capturedAt: goodInput().claim.capturedAt,
      gps: { ...at(north, east), accuracyM },
    });

    it('refuses a point 212 m away, naming the segment and the limit', () => {
      const result = checkProof(goodInput({ claim: gps(212) }));

      expect(result.failures).toMatchObject([{ code: 'outside-geofence', message: "GPS 212 m from segment 'Ordos Ave 3', limit 50 m" }]);
    });

    it('names the segment by id when it has no name', () => {
      const input = goodInput({ claim: gps(212) });
      const result = checkProof({ ...input, segment: { geometry: input.segment.geometry } });

      expect(result.failures[0]?.message).toBe("GPS 212 m from segment 'seg_abcdefghijklmnop', limit 50 m");
    });

    it('accepts exactly at the limit and refuses a centimetre beyond', () => {
      expect(checkProof(goodInput({ claim: gps(50) })).accepted).toBe(true);
      expect(checkProof(goodInput({ claim: gps(50.01) })).accepted).toBe(false);
      expect(checkProof(goodInput({ claim: gps(-50) })).accepted).toBe(true);
    });

    it('widens the limit to half the width plus 30 m for wide roads', () => {
      const input = goodInput({ claim: gps(75) });
      const wide = { ...input, segment: { ...input.segment, widthM: 90 } };

      expect(geofenceLimitM(undefined)).toBe(50);
      expect(geofenceLimitM(30)).toBe(50);
      expect(geofenceLimitM(40)).toBe(50);
      expect(geofenceLimitM(90)).toBe(75);
      expect(checkProof(wide).accepted).toBe(true);
      expect(checkProof({ ...wide, claim: gps(75.01) }).failures[0]?.message).toBe("GPS 75 m from segment 'Ordos Ave 3', limit 75 m");
    });

    it('measures past the end of a line to its end point', () => {
      // 30 m north and 40 m east of the east end: 50 m from the line.
      const endEast = 0.005 * Math.cos((lat0 * Math.PI) / 180) * ((6_371_008.8 * Math.PI) / 180);
      const result = checkProof(goodInput({ claim: gps(30, 0, endEast + 40) }));

      expect(result.geofence.distanceM).toBeCloseTo(50, 1);
    });

    describe('accuracy: credited up to 30 m, refused above 100 m', () => {
      it('credits the accuracy: 70 m away with ±20 m passes, ±19 m does not', () => {
        expect(checkProof(goodInput({ claim: gps(70, 20) })).accepted).toBe(true);
        const refused = checkProof(goodInput({ claim: gps(70, 19) }));
        expect(refused.failures).toMatchObject([
          { code: 'outside-geofence', message: "GPS 70 m from segment 'Ordos Ave 3', limit 50 m (accuracy ±19 m, 19 m credited)" },
        ]);
      });

      it('caps the credit at 30 m', () => {
        expect(checkProof(goodInput({ claim: gps(80, 30) })).accepted).toBe(true);
        const result = checkProof(goodInput({ claim: gps(81, 90) }));
        expect(result.geofence.accuracyCreditM).toBe(30);
        expect(result.failures[0]?.message).toBe("GPS 81 m from segment 'Ordos Ave 3', limit 50 m (accuracy ±90 m, 30 m credited)");
      });

      it('accepts a 100 m fix on the road and refuses a coarser one even there', () => {
        expect(checkProof(goodInput({ claim: gps(0, 100) })).accepted).toBe(true);
        expect(checkProof(goodInput({ claim: gps(0, 100.5) })).failures).toMatchObject([
          { code: 'gps-too-coarse', message: 'GPS fix too coarse: accuracy 101 m, at most 100 m' },
        ]);
        expect(codes(checkProof(goodInput({ claim: gps(0, Number.NaN) })))).toEqual(['gps-too-coarse']);
      });

      it('gives no credit for a negative accuracy', () => {
        expect(checkProof(goodInput({ claim: gps(60, -20) })).geofence.accuracyCreditM).toBe(0);
        expect(checkProof(goodInput({ claim: gps(60, -20) })).accepted).toBe(false);
      });
    });

    describe('polygons', () => {
      // A square about 200 m a side with a 40 m square hole in the middle.
      const [w, s] = [at(-100, -100), at(-100, 100)];
      const [e, n] = [at(100, 100), at(100, -100)];
      const [hw, hs, he, hn] = [at(-20, -20), at(-20, 20), at(20, 20), at(20, -20)];
      const square: SegmentGeometry = {
        type: 'Polygon',
        coordinates: [
          [[w.lon, w.lat], [s.lon, s.lat], [e.lon, e.lat], [n.lon, n.lat], [w.lon, w.lat]],
          [[hw.lon, hw.lat], [hn.lon, hn.lat], [he.lon, he.lat], [hs.lon, hs.lat], [hw.lon, hw.lat]],
        ],
      };
      const withSquare = (north: number, east: number): ReturnType<typeof checkProof> => {
        const input = goodInput({ claim: gps(north, 0, east) });
        return checkProof({ ...input, segment: { geometry: square, name: 'Civic Square' } });
      };

      it('is 0 m inside', () => {
        expect(withSquare(60, 60).geofence.distanceM).toBe(0);
        expect(withSquare(-90, 10).geofence.distanceM).toBe(0);
      });

      it('measures to the boundary outside', () => {
        expect(withSquare(0, 150).geofence.distanceM).toBeCloseTo(50, 1);
        expect(withSquare(0, 150).accepted).toBe(true);
        expect(withSquare(0, 180).failures[0]?.message).toBe("GPS 80 m from segment 'Civic Square', limit 50 m");
      });

      it('treats a hole as outside, measured to its ring', () => {
        expect(withSquare(0, 0).geofence.distanceM).toBeCloseTo(20, 1);
      });

      it('takes the nearest polygon of a multi-polygon', () => {
        const input = goodInput({ claim: gps(0, 0, 400) });
        const far: [number, number][][] = [[[lon0 + 0.5, lat0 + 0.5], [lon0 + 0.6, lat0 + 0.5], [lon0 + 0.6, lat0 + 0.6], [lon0 + 0.5, lat0 + 0.5]]];
        if (square.type !== 'Polygon') throw new Error('fixture');
        const multi: SegmentGeometry = { type: 'MultiPolygon', coordinates: [far, square.coordinates] };
        expect(checkProof({ ...input, segment: { geometry: multi } }).geofence.distanceM).toBeCloseTo(300, 0);
      });
    });

    it('takes the nearest part of a multi-line', () => {
      const south = at(-500);
      const north = at(120);
      const multi: SegmentGeometry = {
        type: 'MultiLineString',
        coordinates: [
          [[south.lon - 0.01, south.lat], [south.lon + 0.01, south.lat]],
          [[north.lon - 0.01, north.lat], [north.lon + 0.01, north.lat]],
        ],
      };
      const input = goodInput({ claim: gps(150) });

      const result = checkProof({ ...input, segment: { geometry: multi, name: 'Ring Rd' } });

      expect(result.geofence.distanceM).toBeCloseTo(30, 1);
      expect(result.accepted).toBe(true);
    });
  });

  describe('photos', () => {
    it('refuses too few photos', () => {
      const result = checkProof(goodInput({ evidence: [evidence('ev_a')] }));

      expect(result.failures).toMatchObject([{ code: 'too-few-photos', message: '1 photo, at least 2 required' }]);
    });

    it('accepts exactly the minimum and counts the same picture once', () => {
      const input = goodInput();
      const three = { ...input, task: { ...input.task, minPhotos: 3 } };

      expect(checkProof({ ...three, evidence: [evidence('ev_a'), evidence('ev_b'), evidence('ev_c')] }).accepted).toBe(true);
      const twice = [evidence('ev_a'), evidence('ev_b'), evidence('ev_c', { sha256: evidence('ev_a').sha256 })];
      expect(checkProof({ ...three, evidence: twice }).failures).toMatchObject([{ code: 'too-few-photos', message: '2 photos, at least 3 required' }]);
    });

    it('counts a repeated evidence id once', () => {
      expect(codes(checkProof(goodInput({ evidence: [evidence('ev_a'), evidence('ev_a')] })))).toEqual(['too-few-photos']);
    });

    it('refuses a photo refused at ingest', () => {
      const result = checkProof(goodInput({ evidence: [evidence('ev_a'), evidence('ev_b', { status: 'refused' })] }));

      expect(result.failures).toMatchObject([{ code: 'evidence-refused', evidenceId: 'ev_b', message: 'photo ev_b was refused at upload' }]);
    });

    it('refuses a photo of another contractor', () => {
      const result = checkProof(goodInput({ evidence: [evidence('ev_a'), evidence('ev_b', { contractorId: 'ctr_other' })] }));

      expect(result.failures).toMatchObject([{ code: 'evidence-other-contractor', evidenceId: 'ev_b', message: 'photo ev_b was uploaded by another contractor' }]);
    });

    it('refuses a photo uploaded for another task, naming both', () => {
      const input = goodInput({ evidence: [evidence('ev_a'), evidence('ev_b', { taskId: otherTaskId })] });
      const result = checkProof(input);

      expect(result.failures).toMatchObject([
        { code: 'evidence-other-task', evidenceId: 'ev_b', message: `photo ev_b was uploaded for task ${otherTaskId}, not ${input.task.taskId}` },
      ]);
    });

    it('refuses a missing item', () => {
      expect(checkProof(goodInput({ missingEvidenceIds: ['ev_x', 'ev_x'] })).failures).toMatchObject([
        { code: 'evidence-missing', evidenceId: 'ev_x', message: 'photo ev_x has not been uploaded or is not yet processed' },
      ]);
    });

    it('refuses a photo already used by another proof, naming that proof', () => {
      const used = evidence('ev_b').sha256;
      const result = checkProof(goodInput({ usedHashes: new Map([[used, 'prf_01jzzzzzzzzzzzzzzzzzzzzzzz']]) }));

      expect(result.failures).toMatchObject([
        {
          code: 'photo-reused',
          evidenceId: 'ev_b',
          otherProofId: 'prf_01jzzzzzzzzzzzzzzzzzzzzzzz',
          message: `photo ev_b (sha-256 ${used.slice(0, 12)}…) is already used by proof prf_01jzzzzzzzzzzzzzzzzzzzzzzz`,
        },
      ]);
    });
  });

  describe('EXIF flags (never refusals)', () => {
    const claimed = goodInput().claim;

    it('flags an EXIF time more than 10 minutes from the claim', () => {
      const result = checkProof(goodInput({ evidence: [evidence('ev_a', { exifCapturedAt: minutes(claimed.capturedAt, -11) }), evidence('ev_b')] }));

      expect(result.accepted).toBe(true);
      expect(result.flags).toMatchObject([
        { code: 'exif-time-mismatch', evidenceId: 'ev_a', message: 'photo ev_a EXIF time 05:49 is 11 min from the claimed 06:00, tolerance 10 min' },
      ]);
    });

    it('does not flag at exactly 10 minutes', () => {
      expect(checkProof(goodInput({ evidence: [evidence('ev_a', { exifCapturedAt: minutes(claimed.capturedAt, 10) }), evidence('ev_b')] })).flags).toMatchObject([]);
    });

    it('flags an EXIF position more than 200 m from the claimed point', () => {
      const result = checkProof(goodInput({ evidence: [evidence('ev_a', { exifGps: at(10 + 201) }), evidence('ev_b', { exifGps: at(10 + 200) })] }));

      expect(result.accepted).toBe(true);
      expect(result.flags).toMatchObject([
        { code: 'exif-gps-mismatch', evidenceId: 'ev_a', message: 'photo ev_a EXIF GPS is 201 m from the claimed point, tolerance 200 m' },
      ]);
    });

    it('flags nothing when EXIF is absent', () => {
      expect(checkProof(goodInput()).flags).toMatchObject([]);
    });
  });

  it('reports every failure at once', () => {
    const input = goodInput({
      claim: { capturedAt: new Date('2026-11-22T23:41:00Z'), gps: { ...at(212), accuracyM: 5 } },
      evidence: [evidence('ev_a', { status: 'refused', contractorId: 'ctr_other', taskId: otherTaskId, exifCapturedAt: new Date('2026-11-22T20:00:00Z') })],
      missingEvidenceIds: ['ev_m'],
      usedHashes: new Map([[evidence('ev_a').sha256, 'prf_1']]),
    });

    const result = checkProof(input);

    expect(result.accepted).toBe(false);
    expect(codes(result)).toEqual([
      'outside-window',
      'outside-geofence',
      'evidence-missing',
      'evidence-refused',
      // Another contractor's photo: its task and its proof are not named to this one.
      'evidence-other-contractor',
      'too-few-photos',
    ]);
    expect(result.failures[1]?.message).toBe("GPS 212 m from segment 'Ordos Ave 3', limit 50 m (accuracy ±5 m, 5 m credited)");
    expect(result.flags.map((flag) => flag.code)).toEqual(['exif-time-mismatch']);
  });
});

describe('evidenceFailures (any subject kind)', () => {
  const item = (id: string, overrides: Partial<EvidenceCheckItem> = {}): EvidenceCheckItem => ({
    evidenceId: id,
    status: 'valid',
    contractorId: 'ctr_abcdefghijklmnop',
    subjectId: 'rec_01jabcdefghjkmnpqrstvwxyz0',
    sha256: id.padEnd(64, '0'),
    ...overrides,
  });
  const subject = { kind: 'rectification' as const, id: 'rec_01jabcdefghjkmnpqrstvwxyz0' };

  it('reports missing, refused, other contractor, other subject and reused items, each once', () => {
    const failures = evidenceFailures({
      subject,
      contractorId: 'ctr_abcdefghijklmnop',
      evidence: [
        item('ev_a', { status: 'refused' }),
        item('ev_b', { contractorId: 'ctr_other' }),
        item('ev_c', { subjectId: 'wo_01jabcdefghjkmnpqrstvwxyz0' }),
        item('ev_d'),
        item('ev_d'),
      ],
      missingEvidenceIds: ['ev_x', 'ev_x'],
      usedHashes: new Map([['ev_d'.padEnd(64, '0'), 'prf_other']]),
    });

    expect(failures.map((failure) => [failure.code, failure.evidenceId])).toEqual([
      ['evidence-missing', 'ev_x'],
      ['evidence-refused', 'ev_a'],
      ['evidence-other-contractor', 'ev_b'],
      ['evidence-other-subject', 'ev_c'],
      ['photo-reused', 'ev_d'],
    ]);
    expect(failures[3]?.message).toBe('photo ev_c was uploaded for wo_01jabcdefghjkmnpqrstvwxyz0, not rec_01jabcdefghjkmnpqrstvwxyz0');
    expect(failures[4]?.otherProofId).toBe('prf_other');
  });

  it('finds nothing wrong with good items, and counts distinct photos', () => {
    const items = [item('ev_a'), item('ev_b', { sha256: 'ev_a'.padEnd(64, '0') })];

    expect(evidenceFailures({ subject, contractorId: 'ctr_abcdefghijklmnop', evidence: items, missingEvidenceIds: [], usedHashes: new Map() })).toEqual([]);
    expect(distinctPhotoCount(items)).toBe(1);
  });

  it('flags EXIF disagreements for any subject', () => {
    const flags = exifFlags([item('ev_a', { exifGps: at(300) })], { capturedAt: windowStart, gps: at(0) }, 'Asia/Shanghai');

    expect(flags).toMatchObject([{ code: 'exif-gps-mismatch', evidenceId: 'ev_a', message: 'photo ev_a EXIF GPS is 300 m from the claimed point, tolerance 200 m' }]);
  });
});

describe('the Chinese of every failure and flag (issue 13)', () => {
  it('gives each evidence reason a zh text with the same numbers', () => {
    // Act: every evidence check made to fail
    const failures = evidenceFailures({
      subject: { kind: 'task', id: 'tsk_a' },
      contractorId: 'ctr_a',
      evidence: [
        { evidenceId: 'ev_r', status: 'refused', contractorId: 'ctr_a', subjectId: 'tsk_a', sha256: 'r'.repeat(64), refusal: { message: 'the photo is 16.2 MB', zh: '照片 16.2 MB' } },
        { evidenceId: 'ev_o', status: 'valid', contractorId: 'ctr_b', subjectId: 'tsk_b', sha256: 'o'.repeat(64) },
        { evidenceId: 'ev_t', status: 'valid', contractorId: 'ctr_a', subjectId: 'tsk_b', sha256: 't'.repeat(64) },
        { evidenceId: 'ev_u', status: 'valid', contractorId: 'ctr_a', subjectId: 'tsk_a', sha256: 'u'.repeat(64) },
      ],
      missingEvidenceIds: ['ev_m'],
      usedHashes: new Map([['u'.repeat(64), 'prf_other']]),
    });

    // Assess: another contractor's photo names no subject of theirs
    expect(failures.map((failure) => [failure.code, failure.zh])).toEqual([
      ['evidence-missing', '照片 ev_m 尚未上传或尚未处理完'],
      ['evidence-refused', '照片 ev_r 上传时被拒：照片 16.2 MB'],
      ['evidence-other-contractor', '照片 ev_o 由其他作业单位上传'],
      ['evidence-other-task', '照片 ev_t 是为作业任务 tsk_b 上传的，不是 tsk_a'],
      ['photo-reused', `照片 ev_u（sha-256 ${'u'.repeat(12)}…）已被作业凭证 prf_other 使用`],
    ]);
    expect(failures[1]?.message).toBe('photo ev_r was refused at upload: the photo is 16.2 MB');
  });

  it('gives the window, geofence and count reasons in Chinese with their numbers', () => {
    // Act
    const result = checkProof(goodInput({ claim: { capturedAt: new Date('2026-11-22T23:41:00Z'), gps: { ...at(212), accuracyM: 0 } }, evidence: [evidence('ev_a')] }));

    // Assess
    expect(result.failures.map((failure) => failure.zh)).toEqual([expect.stringMatching(/^拍摄于 07:41，作业时段 04:30–07:00 \+ 30 分钟$/), expect.stringMatching(/^距路段 21\d 米，限 50 米（路段 '.+'）$/), '1 张照片，至少需要 2 张']);
  });
});
