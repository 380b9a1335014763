import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './harness';

/** The field app is built once for the suite, as `npm start` builds it. */
export function setup(): void {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: apt-get install chromium (.ci/run installs it)`);
  // NODE_ENV is `test` under vitest, which would make Vite build with development JSX and
  // import.meta.env.PROD false (no service worker): build as `npm start` does.
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
