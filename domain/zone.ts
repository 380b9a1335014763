/**
 * The zone of a tenant that names none (every district so far is in China). On its own so that
 * modules needing only the name (the statement export's tables, in the export worker's bundle)
 * do not bring dates.ts's schemas along; dates.ts re-exports it.
 */
export const defaultZone = 'Asia/Shanghai';
