import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every .ts file under the folders that end up in Lambda bundles. */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const bundled = [...sources('domain'), ...sources('functions')];

describe('imports that decide bundle size and purity', () => {
  it('imports zod as a namespace, so esbuild can drop what is unused', () => {
    // `import { z } from 'zod'` pulls all of zod classic (and its 60+ locales) into every
    // bundle: measured 454 KB vs 90 KB for a small schema, and about 0.3 x baseline init.
    const offenders = bundled.filter((file) => /import\s+(type\s+)?\{[^}]*\bz\b[^}]*\}\s+from\s+'zod'/.test(readFileSync(file, 'utf8')));

    expect(offenders).toEqual([]);
  });

  it('keeps domain/ free of AWS SDK, middy, aws-lambda and aws-cdk-lib imports', () => {
    const offenders = sources('domain').filter((file) =>
      /from\s+'(@aws-sdk\/|@middy\/|aws-lambda|aws-cdk-lib|@aws-lambda-powertools\/)/.test(readFileSync(file, 'utf8')),
    );

    expect(offenders).toEqual([]);
  });

  it('imports the S3 SDK\'s values only in functions/shared/s3-sdk.ts, which loads at the first S3 call', () => {
    // Issue 16: a value import anywhere else puts the S3 client (about 150 KB) in the chunk of
    // every route that reaches that file, whether it touches an object or not. Types are free.
    const offenders = bundled.filter(
      (file) => !file.endsWith(path.join('functions', 'shared', 's3-sdk.ts')) && /import\s+(?!type\b)[^;]*from\s+'@aws-sdk\/(client-s3|s3-presigned-post|s3-request-presigner)'/.test(readFileSync(file, 'utf8')),
    );

    expect(offenders).toEqual([]);
  });
});
