import { existsSync } from 'node:fs';
import { buildWeb, chromiumPath } from './harness';

/** The field app is built once for the suite, as `npm start` builds it. */
export function setup(): void {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install chromium (.ci/run installs it)`);
  buildWeb();
}
