import type { ToolDefinition } from '../shared/routes';

/** The communities tool: tenancy, settings and membership. Routes are filled in below. */
export const communitiesTool: ToolDefinition = {
  name: 'communities',
  entry: 'functions/communities/http.ts',
  routes: [],
  tableActions: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:TransactWriteItems',
  ],
};
