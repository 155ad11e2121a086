import { createHttpHandler } from '../shared/http';
import { budgetsTool } from './routes';

/** The budgets Lambda: every route of {@link budgetsTool}. */
export const handler = createHttpHandler(budgetsTool);
