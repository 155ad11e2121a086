import { createHttpHandler } from '../shared/http';
import { petitionsTool } from './routes';

/** The petitions Lambda: every route of {@link petitionsTool}. */
export const handler = createHttpHandler(petitionsTool);
