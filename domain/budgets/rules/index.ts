export * from './add1';
export * from './approval-profile';
export * from './equal-shares';
export * from './greedy';
export type { Rational } from './rational';
export * from './results';
export * from './scores';
