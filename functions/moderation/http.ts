import { createHttpHandler } from '../shared/http';
import { moderationTool } from './routes';

/** The moderation Lambda: every route of {@link moderationTool}. */
export const handler = createHttpHandler(moderationTool);
