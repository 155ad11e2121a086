export * from './clock';
export * from './command';
export * from './localized';
export * from './outcome';
