import { createHttpHandler } from '../shared/http';
import { communitiesTool } from './routes';

/** The communities Lambda: every route of {@link communitiesTool}. */
export const handler = createHttpHandler(communitiesTool);
