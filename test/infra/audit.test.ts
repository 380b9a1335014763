import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventHandlers, objectCreatedHandlers } from '../../functions/events/manifest';
import { httpModules } from '../../functions/http/manifest';
import type { LambdaFunction } from '../../infra/constructs/lambda';
import { auditTable, envNames, mainTable } from '../../infra/definitions';
import { actionsOfStatement, policyStatementsOf, resourcesOfType, skipBundling, stackFunctions, synthesise, synthTimeoutMs, type PolicyStatement, type Synthesised } from './support';

/**
 * The audit log's grants (issue 8): IAM is the proof that the service never updates or
 * deletes an entry. Every function that writes the main table may only PutItem into the audit
 * table (its entries ride in its transactions); only the audit module may read it, with Query
 * on the table and its index; nothing may UpdateItem, DeleteItem or BatchWriteItem there.
 */

type Statement = PolicyStatement;

let synth: Synthesised;
let auditTableId: string;
let mainTableId: string;

beforeAll(() => {
  synth = synthesise({ nag: false, builtinCloudFormationValidation: false, context: skipBundling });
  auditTableId = synth.stack.getLogicalId(synth.stack.stateful.table(auditTable).node.defaultChild as CfnTable);
  mainTableId = synth.stack.getLogicalId(synth.stack.stateful.table(mainTable).node.defaultChild as CfnTable);
}, synthTimeoutMs);

const actionsOf = actionsOfStatement;
const functions = (): [string, LambdaFunction][] => stackFunctions(synth);
const statementsOf = (fn: LambdaFunction): Statement[] => policyStatementsOf(synth, fn);

/** The DynamoDB actions a function holds on one table (its index ARNs included). */
function actionsOn(fn: LambdaFunction, tableId: string): string[] {
  return statementsOf(fn)
    .filter((statement) => JSON.stringify(statement.Resource).includes(`"${tableId}"`))
    .flatMap(actionsOf)
    .filter((action) => action.startsWith('dynamodb:'))
    .sort();
}

function environmentOf(fn: LambdaFunction): Record<string, unknown> {
  const id = synth.stack.getLogicalId(fn.function.node.defaultChild as CfnFunction);
  return (synth.resources[id]?.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables;
}

const writesMain = (fn: LambdaFunction): boolean => actionsOn(fn, mainTableId).some((action) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'].includes(action));

describe('the audit table', () => {
  it('keeps its entries: no TTL, point-in-time recovery, deletion protection, retained with the stack', () => {
    // Act
    const table = synth.resources[auditTableId]!;

    // Assess
    expect(table.Properties?.['TimeToLiveSpecification']).toBeUndefined();
    expect(table.Properties).toMatchObject({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true });
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('is covered: every manifest function is in the stack (so the checks below see them all)', () => {
    // Assess
    expect(functions()).toHaveLength(httpModules.length + eventHandlers.length + objectCreatedHandlers.length);
  });

  it('may be appended to, and only appended to, by every function that writes the main table', () => {
    // Act
    const writers = functions().filter(([, fn]) => writesMain(fn));
    const grants = writers.map(([name, fn]) => [name, actionsOn(fn, auditTableId), environmentOf(fn)[envNames.auditTable] !== undefined]);

    // Assess: the HTTP modules that write, and all five event handlers.
    // The exports module writes its job items only (issue 16), and appends like every writer.
    expect(writers.length).toBe(httpModules.filter((module) => module.needs.mainTable === 'readWrite' || module.needs.exportJobs === true).length + eventHandlers.length + objectCreatedHandlers.length);
    expect(grants).toEqual(writers.map(([name]) => [name, ['dynamodb:PutItem'], true]));
  });

  it('is read by the audit module alone, with Query on the table and its byTenantTime index, and nothing else', () => {
    // Act
    const readers = functions().filter(([, fn]) => actionsOn(fn, auditTableId).some((action) => action !== 'dynamodb:PutItem'));
    const audit = synth.stack.stateless.functions.get('audit')!;
    const resources = statementsOf(audit).filter((statement) => JSON.stringify(statement.Resource).includes(`"${auditTableId}"`)).map((statement) => JSON.stringify(statement.Resource));

    // Assess
    expect(readers.map(([name]) => name)).toEqual(['http audit']);
    // One statement (CDK merges the table's and the index's): Query on both ARNs.
    expect([...new Set(actionsOn(audit, auditTableId))]).toEqual(['dynamodb:Query']);
    expect(resources.some((resource) => resource.includes('/index/byTenantTime'))).toBe(true);
    expect(resources.some((resource) => resource.includes(`{"Fn::GetAtt":["${auditTableId}","Arn"]}`))).toBe(true);
    expect(actionsOn(audit, mainTableId)).toEqual([]);
    expect(Object.keys(environmentOf(audit))).toContain(envNames.auditTable);
    expect(Object.keys(environmentOf(audit))).not.toContain(envNames.mainTable);
  });

  it('can never be updated or deleted in by any function, nor written in batches', () => {
    // Act
    const forbidden = functions().flatMap(([name, fn]) =>
      actionsOn(fn, auditTableId)
        .filter((action) => ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'].includes(action))
        .map((action) => `${name}: ${action}`),
    );
    const wildcards = resourcesOfType(synth.resources, 'AWS::IAM::Policy')
      .flatMap(([, policy]) => (policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement)
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')) && JSON.stringify(statement.Resource) === '"*"');

    // Assess
    expect(forbidden).toEqual([]);
    expect(wildcards).toEqual([]);
  });

  it('is unknown to the functions that neither write the main table nor read the log', () => {
    // Act
    const bystanders = functions().filter(([name, fn]) => !writesMain(fn) && name !== 'http audit');

    // Assess
    expect(bystanders.length).toBeGreaterThan(0);
    expect(bystanders.map(([name, fn]) => [name, actionsOn(fn, auditTableId), environmentOf(fn)[envNames.auditTable] ?? null])).toEqual(bystanders.map(([name]) => [name, [], null]));
  });
});
