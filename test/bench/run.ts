import { bundlesSection } from './bundles';
import { closeSection } from './close';
import { scheduleSection } from './schedule';
import type { BenchSection } from './section';
import { webSection } from './web';

/**
 * `npm run bench`: every section in turn (or those named: `npm run bench -- bundles`). Add a section by appending it here. Figures are
 * printed with their targets; only a section that cannot measure makes the exit code non-zero.
 */
const sections: readonly BenchSection[] = [bundlesSection, scheduleSection, closeSection, webSection];

/** `npm run bench -- bundles`: only the sections whose title holds one of the words given (case aside). */
const wanted = process.argv.slice(2).map((word) => word.toLowerCase());
const chosen = wanted.length === 0 ? sections : sections.filter((section) => wanted.some((word) => section.title.toLowerCase().includes(word)));
if (chosen.length === 0) {
  console.error(`no bench section matches ${wanted.join(', ')}; the sections: ${sections.map((section) => section.title).join(' | ')}`);
  process.exitCode = 1;
}

for (const section of chosen) {
  console.log(`\n## ${section.title}\n`);
  try {
    await section.run();
  } catch (error) {
    console.error(`bench section "${section.title}" failed:`, error);
    process.exitCode = 1;
  }
}
