import type { HttpModuleManifest } from '../shared/route';
import { metaRoutes } from './meta/routes';
import { segmentRoutes } from './segments/routes';

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
    name: 'meta',
    entry: 'functions/http/meta/index.ts',
    routes: metaRoutes,
    needs: { mainTable: 'none', idempotencyTable: false },
  },
];
