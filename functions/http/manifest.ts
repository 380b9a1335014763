import type { HttpModuleManifest } from '../shared/route';
import { contractorRoutes } from './contractors/routes';
import { contractRoutes } from './contracts/routes';
import { metaRoutes } from './meta/routes';
import { rulebookRoutes } from './rulebooks/routes';
import { scheduleRoutes } from './schedule/routes';
import { taskRoutes } from './tasks/routes';
import { proofRoutes } from './proofs/routes';
import { segmentRoutes } from './segments/routes';
import { tenderRoutes } from './tenders/routes';
import { workOrderRoutes } from './work-orders/routes';
import { spotCheckRoutes } from './spot-checks/routes';
import { open311Routes } from './open311/routes';
import { complaintRoutes } from './complaints/routes';
import { inspectionRoutes } from './inspections/routes';
import { rectificationRoutes } from './rectification/routes';
import { statementRoutes } from './statements/routes';
import { exportRoutes } from './exports/routes';
import { rankingRoutes } from './rankings/routes';
import { noticeRoutes } from './notices/routes';
import { supervisionRoutes } from './supervision/routes';
import { auditRoutes } from './audit/routes';
import { tenantRoutes } from './tenants/routes';

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
    // Presigned POSTs and GETs are signed with the Lambda's role: S3 checks s3:PutObject
    // (uploads) and s3:GetObject (review links) against it, so both are needed, nothing more.
    name: 'proofs',
    entry: 'functions/http/proofs/index.ts',
    routes: proofRoutes,
    needs: { mainTable: 'readWrite', idempotencyTable: true, proofsBucket: 'readWrite' },
  },
  {
    name: 'work-orders',
    entry: 'functions/http/work-orders/index.ts',
    routes: workOrderRoutes,
    // 'put': the upload route presigns POSTs into the proofs bucket; photos are read by ingest, not here.
    needs: { mainTable: 'readWrite', idempotencyTable: true, proofsBucket: 'put' },
  },
  {
    name: 'spot-checks',
    entry: 'functions/http/spot-checks/index.ts',
    routes: spotCheckRoutes,
    needs: { mainTable: 'readWrite', idempotencyTable: true },
  },
  {
    // Public (auth 'public'): citizens' Open311 GeoReport v2 clients carry no token.
    name: 'open311',
    entry: 'functions/http/open311/index.ts',
    routes: open311Routes,
    needs: { mainTable: 'readWrite', idempotencyTable: false },
  },
  {
    name: 'complaints',
    entry: 'functions/http/complaints/index.ts',
    routes: complaintRoutes,
    needs: { mainTable: 'readWrite', idempotencyTable: true },
  },
  {
    name: 'inspections',
    entry: 'functions/http/inspections/index.ts',
    routes: inspectionRoutes,
    // 'put': the photo upload route presigns POSTs into the proofs bucket; ingest reads the photos.
    needs: { mainTable: 'readWrite', idempotencyTable: true, proofsBucket: 'put' },
  },
  {
    name: 'rectification',
    entry: 'functions/http/rectification/index.ts',
    routes: rectificationRoutes,
    // 'put': the upload route presigns POSTs into the proofs bucket; photos are read by ingest, not here.
    needs: { mainTable: 'readWrite', idempotencyTable: true, proofsBucket: 'put' },
  },
  {
    name: 'statements',
    entry: 'functions/http/statements/index.ts',
    routes: statementRoutes,
    needs: { mainTable: 'readWrite', idempotencyTable: true },
  },
  {
    // Queues export jobs (a job item, a job object under jobs/) and signs GETs of the files the
    // export worker writes (issue 16); reads statements and jobs. Writes no file itself.
    name: 'exports',
    entry: 'functions/http/exports/index.ts',
    routes: exportRoutes,
    needs: { mainTable: 'read', idempotencyTable: true, exportsBucket: 'read', exportJobs: true },
  },
  {
    name: 'rankings',
    entry: 'functions/http/rankings/index.ts',
    routes: rankingRoutes,
    needs: { mainTable: 'read', idempotencyTable: false },
  },
  {
    name: 'notices',
    entry: 'functions/http/notices/index.ts',
    routes: noticeRoutes,
    needs: { mainTable: 'read', idempotencyTable: false },
  },
  {
    // The supervisor's screens (issue 15): reads statements, contracts, names and the tenant's zone.
    name: 'supervision',
    entry: 'functions/http/supervision/index.ts',
    routes: supervisionRoutes,
    needs: { mainTable: 'read', idempotencyTable: false },
  },
  {
    // The audit log (issue 8): reads the audit table only (Query), never the records themselves.
    name: 'audit',
    entry: 'functions/http/audit/index.ts',
    routes: auditRoutes,
    needs: { mainTable: 'none', idempotencyTable: false, auditTable: 'read' },
  },
  {
    // The caller's district by name (issue 15): one GetItem of the tenant item, projected to
    // name and zone. A module of its own rather than a route of meta (public, no table) or of
    // a desk's module: every role calls it, and its Lambda is the lazy table of one route.
    name: 'tenants',
    entry: 'functions/http/tenants/index.ts',
    routes: tenantRoutes,
    needs: { mainTable: 'read', idempotencyTable: false },
  },
  {
    name: 'meta',
    entry: 'functions/http/meta/index.ts',
    routes: metaRoutes,
    needs: { mainTable: 'none', idempotencyTable: false },
  },
];
