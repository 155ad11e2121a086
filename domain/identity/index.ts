export * from './actor';
export * from './eligibility';
