export * from './pabulib';
export * from './rules';
