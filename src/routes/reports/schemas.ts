import '@hono/zod-openapi';
import { amlReportSchema as amlReport } from '../../domain/reports/schemas.js';

export const amlReportSchema = amlReport.openapi('AmlReport');
