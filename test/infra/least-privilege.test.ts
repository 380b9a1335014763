import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OwnedPersistenceLayer } from '../../functions/shared/idempotency';
import type { LambdaFunction } from '../../infra/constructs/lambda';
import { actionsOfStatement, policyStatementsOf, skipBundling, stackFunctions, synthesise, synthTimeoutMs, type Synthesised } from './support';

/**
 * Least privilege on DynamoDB (issue 13): 13 functions, the public Open311 one among them,
 * held DeleteItem and BatchWriteItem that no code sends. The grants now omit both, and this
 * suite keeps the two sides together: the code under functions/ sends neither (so the stack's
 * missing grants break nothing), and the stack grants neither to any function.
 */

const forbidden = ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*', 'dynamodb:PartiQLDelete'];

let synth: Synthesised;

beforeAll(() => {
  synth = synthesise({ nag: false, builtinCloudFormationValidation: false, context: skipBundling });
}, synthTimeoutMs);

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const functions = (): [string, LambdaFunction][] => stackFunctions(synth);
const actionsOf = (fn: LambdaFunction): string[] => policyStatementsOf(synth, fn).flatMap(actionsOfStatement);

describe('DynamoDB deletes and batch writes', () => {
  it('are sent by no code under functions/ (commands, transaction items, the idempotency layer)', () => {
    // Prepare: the patterns by which the SDK would send either.
    const patterns = [/\bDelete(Item)?Command\b/, /\bBatchWrite(Item)?Command\b/, /\bDelete\s*:\s*\{/, /\bDeleteRequest\b/];

    // Act
    const offenders = sourceFiles('functions').filter((path) => patterns.some((pattern) => pattern.test(readFileSync(path, 'utf8'))));

    // Assess: Powertools' own layer deletes a failed attempt's record; ours releases it instead.
    expect(offenders).toEqual([]);
    expect(Object.hasOwn(OwnedPersistenceLayer.prototype, '_deleteRecord')).toBe(true);
    expect(Object.hasOwn(OwnedPersistenceLayer.prototype, '_putRecord')).toBe(true);
  });

  it('are granted to no function of the stack, the public Open311 module included', () => {
    // Act
    const granted = functions().flatMap(([name, fn]) => actionsOf(fn).filter((action) => forbidden.includes(action)).map((action) => `${name}: ${action}`));

    // Assess
    expect(functions().map(([name]) => name)).toContain('http open311');
    expect(granted).toEqual([]);
  });

  it('leave the writers their writes: PutItem and UpdateItem where a module writes', () => {
    // Act
    const open311 = actionsOf(synth.stack.stateless.functions.get('open311')!);

    // Assess
    expect(open311).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:Query']));
  });
});
