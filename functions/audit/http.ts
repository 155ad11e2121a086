import { createHttpHandler } from '../shared/http';
import { auditTool } from './routes';

/** The audit Lambda: every route of {@link auditTool}. */
export const handler = createHttpHandler(auditTool);
