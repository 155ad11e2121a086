export * from './canonical';
export * from './chain';
export * from './intent';
export * from './permissions';
export * from './ports';
