import type { HttpModuleManifest } from '../shared/route';
import { contractorRoutes } from './contractors/routes';
import { contractRoutes } from './contracts/routes';
import { metaRoutes } from './meta/routes';
import { rulebookRoutes } from './rulebooks/routes';
import { scheduleRoutes } from './schedule/routes';
import { taskRoutes } from './tasks/routes';
import { segmentRoutes } from './segments/routes';
import { tenderRoutes } from './tenders/routes';

/**
 * Every HTTP module: one Lambda each, its routes, and what it may touch. The CDK stack,
 * the local HTTP adapter and the OpenAPI document are all built from this list.
 */
export const httpModules: readonly HttpModuleManifest[] = [
  {
    name: 'segments',
    entry: 'functions/http/segments/index.ts',
    routes: segmentRoutes,
    needs: { mainTable: 'readWrite', idempotencyTable: true },
  },
  {
    name: 'contractors',
    entry: 'functions/http/contractors/index.ts',
    routes: contractorRoutes,
    needs: { mainTable: 'readWrite', idempotencyTable: true },
  },
  {
    name: 'contracts',
    entry: 'functions/http/contracts/index.ts',
    routes: contractRoutes,
    needs: { mainTable: 'readWrite', idempotencyTable: true },
  },
  {
    name: 'rulebooks',
    entry: 'functions/http/rulebooks/index.ts',
    routes: rulebookRoutes,
    needs: { mainTable: 'none', idempotencyTable: false },
  },
  {
    name: 'tenders',
    entry: 'functions/http/tenders/index.ts',
    routes: tenderRoutes,
    needs: { mainTable: 'readWrite', idempotencyTable: true },
  },
  {
    name: 'schedule',
    entry: 'functions/http/schedule/index.ts',
    routes: scheduleRoutes,
    needs: { mainTable: 'readWrite', idempotencyTable: true },
  },
  {
    name: 'tasks',
    entry: 'functions/http/tasks/index.ts',
    routes: taskRoutes,
    needs: { mainTable: 'read', idempotencyTable: false },
  },
  {
    name: 'meta',
    entry: 'functions/http/meta/index.ts',
    routes: metaRoutes,
    needs: { mainTable: 'none', idempotencyTable: false },
  },
];
