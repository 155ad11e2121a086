import { createHttpHandler } from '../shared/http';
import { appealsTool } from './routes';

/** The internet reception's Lambda: every route of {@link appealsTool}. */
export const handler = createHttpHandler(appealsTool);
