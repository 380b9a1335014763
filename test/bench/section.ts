/**
 * One part of `npm run bench`. Later issues add their own sections to the list in run.ts.
 * A section prints its own figures and targets; a missed target is printed, never thrown.
 * It throws only when it could not measure at all (a bundle that does not build or load).
 */
export interface BenchSection {
  readonly title: string;
  run(): Promise<void>;
}
