import { TABLE_READ_WRITE, type ToolDefinition } from '../shared/routes';
import { authorRoutes } from './author-routes';
import { publicRoutes } from './public-routes';
import { reportRoutes } from './report-routes';
import { staffRoutes } from './staff-routes';
import { statsRoutes } from './stats-routes';

/**
 * The internet reception: appeals, requests for public information and issue
 * reports, registered, routed by category, answered on time. Its routes are
 * kept in three families: what anyone reads, what residents do, what staff do.
 */
export const appealsTool: ToolDefinition = {
  name: 'appeals',
  entry: 'functions/appeals/http.ts',
  routes: [...publicRoutes, ...statsRoutes, ...reportRoutes, ...authorRoutes, ...staffRoutes],
  tableActions: TABLE_READ_WRITE,
  indexes: ['GSI1', 'GSI3', 'GSI4'],
};
