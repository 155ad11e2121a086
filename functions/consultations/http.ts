import { createHttpHandler } from '../shared/http';
import { consultationsTool } from './routes';

/** The consultations Lambda: every route of {@link consultationsTool}. */
export const handler = createHttpHandler(consultationsTool);
