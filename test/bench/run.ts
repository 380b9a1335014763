import { bundlesSection } from './bundles';
import { closeSection } from './close';
import { scheduleSection } from './schedule';
import type { BenchSection } from './section';
import { webSection } from './web';

/**
 * `npm run bench`: every section in turn. Add a section by appending it here. Figures are
 * printed with their targets; only a section that cannot measure makes the exit code non-zero.
 */
const sections: readonly BenchSection[] = [bundlesSection, scheduleSection, closeSection, webSection];

for (const section of sections) {
  console.log(`\n## ${section.title}\n`);
  try {
    await section.run();
  } catch (error) {
    console.error(`bench section "${section.title}" failed:`, error);
    process.exitCode = 1;
  }
}
