import { describe, expect, it } from 'vitest';
import { loadBefore, machineRows, shareOfCore } from '../../bench/lib/report';

const host = { cpu: 'AMD EPYC, 2 cores', memory: '24 GiB', node: 'v22.23.3' };

describe('the rows every benchmark table opens with', () => {
  it('name DynamoDB Local only where the benchmark ran it', () => {
    const busy = shareOfCore(0.25);

    expect(machineRows('2026-12-03', host, busy).map(([figure]) => figure)).toEqual([
      'Date',
      'CPU',
      'Memory',
      'Node',
      'Other processes before the run',
    ]);
    expect(machineRows('2026-12-03', { ...host, dynamoDbLocal: '3.1.0', java: '17' }, busy)).toContainEqual([
      'DynamoDB Local',
      '3.1.0, Java 17',
      '',
      '',
    ]);
  });

  it('say how busy the machine was, or that it could not be measured', () => {
    expect(loadBefore({ share: 0.5, loadAverage: [1, 0.5, 0.25] })).toBe(
      '50% of one core; load average 1.00 / 0.50 / 0.25',
    );
    expect(shareOfCore(undefined)).toBe('?');
  });
});
