export * from './errors';
export * from './hash';
export * from './instance';
export * from './parse';
export * from './write';
