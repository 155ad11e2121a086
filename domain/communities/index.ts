export * from './commands/create-community';
export * from './commands/set-member-roles';
export * from './commands/update-settings';
export * from './community';
export * from './permissions';
export * from './ports';
export * from './settings';
