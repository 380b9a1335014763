import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { objectCreatedHandlers } from '../../../../functions/events/manifest';
import { startObjectEventHandlers } from '../../../../infra/local/object-events';
import type { ObjectCreatedListener } from '../../../../infra/local/s3';
import { objectCreatedRecord, s3Event } from '../../../../infra/local/s3-events';

/** The local notifications' routing and retries, over a stand-in for s3rver's listener list. */

function fakeS3(): { onObjectCreated: (listener: ObjectCreatedListener) => () => void; emit: (event: S3Event) => Promise<void>; listeners: Set<ObjectCreatedListener> } {
  const listeners = new Set<ObjectCreatedListener>();
  return {
    listeners,
    onObjectCreated(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async emit(event) {
      for (const listener of listeners) await listener(event);
    },
  };
}

const proofsBucketName = 'xiuhua-local-proofs';
const record = (key: string, bucket = proofsBucketName): ReturnType<typeof objectCreatedRecord> => objectCreatedRecord({ bucket, key, size: 1, eTag: 'e' });

describe('local S3 event emulation', () => {
  it('hands the ingest entry only records of its bucket under its prefix', async () => {
    const s3 = fakeS3();
    const received: string[] = [];
    startObjectEventHandlers(s3, { load: () => async () => async (event) => void received.push(...event.Records.map((r) => r.s3.object.key)) });

    await s3.emit(s3Event([record('proofs/t/a b.jpg')]));
    await s3.emit(s3Event([record('exports/t/x.csv')]));
    await s3.emit(s3Event([record('proofs/t/y.jpg', 'xiuhua-local-exports')]));

    expect(received).toEqual(['proofs/t/a+b.jpg']);
  });

  it("retries a failing invocation as Lambda does (the manifest's retryAttempts), then reports it", async () => {
    const s3 = fakeS3();
    const lines: string[] = [];
    let calls = 0;
    startObjectEventHandlers(s3, {
      retryPauseMs: 0,
      print: (line) => lines.push(line),
      load: () => async () => async () => {
        calls += 1;
        throw new Error('throttled');
      },
    });

    await s3.emit(s3Event([record('proofs/t/z.jpg')]));

    expect(calls).toBe(objectCreatedHandlers[0]!.retryAttempts + 1);
    expect(lines).toEqual([`[proof-ingest] failed after ${calls} attempts: throttled`]);
  });

  it('delivers an event once per planned delivery, each after its delay, so later ones overtake earlier ones (the fault suite)', async () => {
    const s3 = fakeS3();
    const received: string[] = [];
    startObjectEventHandlers(s3, {
      deliveries: (event) => (event.Records[0]!.s3.object.key.endsWith('a.jpg') ? [{ delayMs: 30 }, { delayMs: 5 }] : [{ delayMs: 0 }, { delayMs: 40 }]),
      load: () => async () => async (event) => void received.push(event.Records[0]!.s3.object.key.split('/').pop()!),
    });

    await Promise.all([s3.emit(s3Event([record('proofs/t/a.jpg')])), s3.emit(s3Event([record('proofs/t/b.jpg')]))]);

    expect(received).toEqual(['b.jpg', 'a.jpg', 'a.jpg', 'b.jpg']);
  });

  it('stops listening when told', () => {
    const s3 = fakeS3();

    const stop = startObjectEventHandlers(s3, { load: () => async () => async () => undefined });
    stop();

    expect(s3.listeners.size).toBe(0);
  });
});
