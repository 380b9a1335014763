import { beforeAll, describe, expect, it } from 'vitest';
import { httpModules } from '../../functions/http/manifest';
import { open311IntakeThrottle, submitRequestRoute } from '../../functions/http/open311/routes';
import { routeKeyOf } from '../../functions/shared/route';
import { resourcesOfType, skipBundling, synthesise, synthTimeoutMs, type Synthesised } from './support';

/**
 * Route throttles (RouteSpec.throttle, issue 13: Open311 intake) reach API Gateway as the
 * stage's route settings, after the routes they name exist.
 */

let synth: Synthesised;

beforeAll(() => {
  synth = synthesise({ nag: false, builtinCloudFormationValidation: false, context: skipBundling });
}, synthTimeoutMs);

describe('the API stage', () => {
  it('throttles Open311 intake per route, below the stage-wide ceiling, and nothing else per route', () => {
    // Act
    const [id, stage] = resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Stage')[0]!;
    const settings = stage.Properties?.['RouteSettings'] as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    const throttled = httpModules.flatMap((module) => module.routes).filter((route) => route.throttle !== undefined).map(routeKeyOf);

    // Assess
    expect(id).toBeDefined();
    expect(settings[routeKeyOf(submitRequestRoute)]).toEqual({ ThrottlingRateLimit: open311IntakeThrottle.rateLimit, ThrottlingBurstLimit: open311IntakeThrottle.burstLimit });
    expect(Object.keys(settings).sort()).toEqual(throttled.sort());
    expect(stage.Properties?.['DefaultRouteSettings']).toMatchObject({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
  });

  it('is created after the routes its settings name', () => {
    // Act
    const [, stage] = resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Stage')[0]! as [string, { DependsOn?: string[] }];
    const routes = resourcesOfType(synth.resources, 'AWS::ApiGatewayV2::Route').filter(([, route]) => route.Properties?.['RouteKey'] === routeKeyOf(submitRequestRoute));

    // Assess
    expect(routes).toHaveLength(1);
    expect(stage.DependsOn).toContain(routes[0]![0]);
  });
});
