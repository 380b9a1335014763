import { Token } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import { skipBundling, synthesise } from './support';

const quiet = { nag: false, builtinCloudFormationValidation: false } as const;

describe('createApp', () => {
  it('names the stack after the stage given as context', () => {
    // Act
    const { stack, stage } = createApp({ ...quiet, context: { ...skipBundling, stage: 'prod' } });

    // Assess
    expect(stage).toBe('prod');
    expect(stack.stackName).toBe('xiuhua-prod');
  });

  it('defaults to the dev stage when no context names one', () => {
    // Act
    const { stack } = createApp({ ...quiet, context: skipBundling });

    // Assess
    expect(stack.stackName).toBe('xiuhua-dev');
  });

  it('refuses a stage that cannot be part of resource names', () => {
    // Act
    const create = (): unknown => createApp({ ...quiet, context: { ...skipBundling, stage: 'Prod_1' } });

    // Assess
    expect(create).toThrow(/stage/);
  });

  it('is environment-agnostic: synthesis needs no account, region or credentials', () => {
    // Act
    const { stack } = createApp({ ...quiet, context: skipBundling });

    // Assess
    expect(Token.isUnresolved(stack.account)).toBe(true);
    expect(Token.isUnresolved(stack.region)).toBe(true);
  });

  it('tags the resources with project and stage', () => {
    // Act
    const { template } = synthesise({ ...quiet, context: skipBundling, stage: 'qa' });

    // Assess
    const tags = Match.arrayWith([
      { Key: 'project', Value: 'xiuhua' },
      { Key: 'stage', Value: 'qa' },
    ]);
    template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: tags });
    template.hasResourceProperties('AWS::Lambda::Function', { Tags: tags });
  });
});
