export * from './communities';
export * from './envelope';
export * from './petitions';
export * from './registry';
