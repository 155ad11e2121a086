import { afterAll, describe, expect, it } from 'vitest';
import {
  CONTEXT_KEYS,
  DEPLOYMENT_LIMIT_DEFAULTS,
  issuersEnvironment,
  readDeploymentConfig,
} from '../../infra/aws/config';
import { TEST_CONTEXT, TestApps } from './support';

// Even an App that is never synthesized makes its output folder when constructed.
const apps = new TestApps();
afterAll(() => apps.removeAll());

function configFrom(context: Record<string, unknown>) {
  return readDeploymentConfig(apps.create(context).node);
}

describe('deployment config from CDK context', () => {
  it('reads issuer and audience and defaults the stage to dev', () => {
    const { [CONTEXT_KEYS.stage]: _stage, ...withoutStage } = TEST_CONTEXT;
    expect(configFrom(withoutStage)).toEqual({
      stage: 'dev',
      jwtIssuer: TEST_CONTEXT[CONTEXT_KEYS.jwtIssuer],
      jwtAudience: TEST_CONTEXT[CONTEXT_KEYS.jwtAudience],
      issuerClaims: { community: 'community', district: 'district', birthdate: 'birthdate' },
      throttleRate: 100,
      throttleBurst: 200,
      apiReservedConcurrency: undefined,
    });
  });

  it.each([CONTEXT_KEYS.jwtIssuer, CONTEXT_KEYS.jwtAudience])(
    'names the -c flag when %s is missing',
    (key) => {
      const context: Record<string, unknown> = { ...TEST_CONTEXT };
      delete context[key];
      expect(() => configFrom(context)).toThrow(`pass -c ${key}=`);
    },
  );

  it('rejects a stage that cannot name a stack', () => {
    expect(() => configFrom({ ...TEST_CONTEXT, [CONTEXT_KEYS.stage]: 'Prod_1' })).toThrow(
      `-c ${CONTEXT_KEYS.stage}=prod`,
    );
  });

  it('takes issuer claim names as JSON from -c or as an object from cdk.json, into ISSUERS', () => {
    const fromFlag = configFrom({ ...TEST_CONTEXT, [CONTEXT_KEYS.issuerClaims]: '{"district":"okrug"}' });
    const fromFile = configFrom({ ...TEST_CONTEXT, [CONTEXT_KEYS.issuerClaims]: { district: 'okrug' } });
    expect(fromFlag).toEqual(fromFile);
    expect(JSON.parse(issuersEnvironment(fromFlag))).toEqual([
      {
        issuer: TEST_CONTEXT[CONTEXT_KEYS.jwtIssuer],
        audience: TEST_CONTEXT[CONTEXT_KEYS.jwtAudience],
        claims: { community: 'community', district: 'okrug', birthdate: 'birthdate' },
      },
    ]);
    expect(() => configFrom({ ...TEST_CONTEXT, [CONTEXT_KEYS.issuerClaims]: '{district' })).toThrow(
      'must be JSON',
    );
  });

  it('takes stage throttling as whole numbers from -c (strings) or cdk.json (numbers)', () => {
    const config = configFrom({
      ...TEST_CONTEXT,
      [CONTEXT_KEYS.throttleRate]: '25',
      [CONTEXT_KEYS.throttleBurst]: 60,
    });
    expect(config).toMatchObject({ throttleRate: 25, throttleBurst: 60 });
  });

  it.each([
    [CONTEXT_KEYS.throttleRate, '0'],
    [CONTEXT_KEYS.throttleRate, '10001'],
    [CONTEXT_KEYS.throttleRate, '2.5'],
    [CONTEXT_KEYS.throttleRate, 'fast'],
    [CONTEXT_KEYS.throttleBurst, 5001],
    [CONTEXT_KEYS.throttleBurst, -1],
    [CONTEXT_KEYS.apiReservedConcurrency, '0'],
    [CONTEXT_KEYS.apiReservedConcurrency, 1001],
  ])('refuses %s=%j, naming the flag and its bounds', (key, value) => {
    expect(() => configFrom({ ...TEST_CONTEXT, [key]: value })).toThrow(
      new RegExp(`^${key} must be a whole number from \\d+ to \\d+, e\\.g\\. -c ${key}=`),
    );
  });

  it('reserves (and caps) API function concurrency on prod by default, not elsewhere; off or a number overrides', () => {
    const prod = { ...TEST_CONTEXT, [CONTEXT_KEYS.stage]: 'prod' };
    expect(configFrom(prod).apiReservedConcurrency).toBe(
      DEPLOYMENT_LIMIT_DEFAULTS.prodApiReservedConcurrency,
    );
    expect(configFrom(TEST_CONTEXT).apiReservedConcurrency).toBeUndefined();
    expect(
      configFrom({ ...prod, [CONTEXT_KEYS.apiReservedConcurrency]: 'off' }).apiReservedConcurrency,
    ).toBeUndefined();
    expect(
      configFrom({ ...prod, [CONTEXT_KEYS.apiReservedConcurrency]: false }).apiReservedConcurrency,
    ).toBeUndefined();
    expect(
      configFrom({ ...TEST_CONTEXT, [CONTEXT_KEYS.apiReservedConcurrency]: '7' }).apiReservedConcurrency,
    ).toBe(7);
    expect(() => configFrom({ ...prod, [CONTEXT_KEYS.apiReservedConcurrency]: 'none' })).toThrow(
      `-c ${CONTEXT_KEYS.apiReservedConcurrency}=off for none`,
    );
  });
});
