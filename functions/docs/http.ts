import { createHttpHandler } from '../shared/http';
import { docsTool } from './routes';

/** The docs Lambda: the OpenAPI document and the Swagger UI page. */
export const handler = createHttpHandler(docsTool);
