import { envNames } from '../../infra/definitions';

/** A required environment variable; throws at first use when missing (STYLE: getter that throws). */
function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

export const env = {
  get mainTable(): string {
    return required(envNames.mainTable);
  },
  get idempotencyTable(): string {
    return required(envNames.idempotencyTable);
  },
  /** The audit log (issue 8): every function that writes the main table puts its entries here. */
  get auditTable(): string {
    return required(envNames.auditTable);
  },
  get proofsBucket(): string {
    return required(envNames.proofsBucket);
  },
  get exportsBucket(): string {
    return required(envNames.exportsBucket);
  },
  /** Local stack only. */
  get dynamodbEndpoint(): string | undefined {
    return process.env[envNames.dynamodbEndpoint] || undefined;
  },
  get s3Endpoint(): string | undefined {
    return process.env[envNames.s3Endpoint] || undefined;
  },
};
