import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApiTypes, generatedPath } from '../../../web/scripts/generate-api';

describe("the field app's typed API client", () => {
  it('is generated from the OpenAPI document the API serves (npm run gen:api)', async () => {
    // Act
    const expected = await generateApiTypes();

    // Assess: a route or schema changed without `npm run gen:api` fails here, not in a phone.
    expect(readFileSync(generatedPath, 'utf8') === expected, 'web/src/api/schema.d.ts is stale: run npm run gen:api').toBe(true);
  });
});
