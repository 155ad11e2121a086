export * from './communities';
export * from './envelope';
export * from './registry';
