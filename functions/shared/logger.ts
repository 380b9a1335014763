import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger per Lambda container (Powertools). */
export const logger = new Logger({ serviceName: 'xiuhua' });
