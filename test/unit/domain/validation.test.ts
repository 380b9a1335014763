import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ValidationError } from '../../../domain/errors';
import { parseInput } from '../../../domain/validation';

const Input = z.object({ name: z.string().min(1), lots: z.array(z.object({ areaM2: z.number().int() })) });

/** A ValidationError whose issues sit at `paths`. */
const issuesAt = (...paths: string[]): unknown =>
  expect.objectContaining({ issues: paths.map((path) => expect.objectContaining({ path })) });

describe('parseInput', () => {
  it('returns the parsed value', () => {
    expect(parseInput(Input, { name: '第一标段', lots: [] })).toEqual({ name: '第一标段', lots: [] });
  });

  it('throws a ValidationError with the ZodError as cause, not the ZodError', () => {
    expect(() => parseInput(Input, { lots: [] })).toThrow(ValidationError);
    expect(() => parseInput(Input, { lots: [] })).toThrow(expect.objectContaining({ message: '1 field(s) failed validation', cause: expect.any(z.ZodError) }));
  });

  it('names every failing field under body. by default', () => {
    expect(() => parseInput(Input, { name: '', lots: [{ areaM2: 1.5 }] })).toThrow(issuesAt('body.name', 'body.lots.0.areaM2'));
  });

  it('uses the prefix given, and none for an empty one', () => {
    expect(() => parseInput(Input, { lots: [] }, 'query')).toThrow(issuesAt('query.name'));
    expect(() => parseInput(Input, { lots: [] }, '')).toThrow(issuesAt('name'));
  });
});
