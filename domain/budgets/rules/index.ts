export * from './add1';
export * from './ballot-profile';
export * from './equal-shares';
export * from './greedy';
export type { Rational } from './rational';
export * from './results';
export * from './scores';
