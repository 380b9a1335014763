import type { SegmentDeps } from '../../../domain/segments/use-cases';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: SegmentDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function segmentDeps(): SegmentDeps {
  deps ??= { segments: new DynamoSegmentStore(documentClient(), env.mainTable), clock: systemClock, ids: ulidIds };
  return deps;
}
