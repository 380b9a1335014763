/** This area's screens (its own chunk, loaded when the area is first opened). */
import type { VNode } from 'preact';
import { match } from '../../router';
import { queryOf } from '../ui';
import { AuditHomeScreen, AuditTrailScreen, parseAuditPath } from './audit';
import { FindingsMapScreen, mapQuery } from './findings-map';
import { NoticesScreen } from './notices';
import { PerformanceScreen, performanceQuery } from './performance';
import { RankingsScreen, rankingsQuery } from './rankings';
import './supervision.css';

export function screen(path: string): VNode | undefined {
  const query = queryOf(path);
  if (match('/supervision/rankings', path) !== undefined || match('/supervision', path) !== undefined) {
    const ranking = rankingsQuery(query);
    return <RankingsScreen key={path} query={ranking} />;
  }
  if (match('/supervision/notices', path) !== undefined) return <NoticesScreen />;
  if (match('/supervision/performance', path) !== undefined) return <PerformanceScreen key={path} query={performanceQuery(query)} />;
  if (match('/supervision/map', path) !== undefined) return <FindingsMapScreen key={path} query={mapQuery(query)} />;
  if (match('/supervision/audit', path) !== undefined) return <AuditHomeScreen key={path} path={path} />;
  if (path.startsWith('/supervision/audit/')) {
    const record = parseAuditPath(path);
    return record === undefined ? undefined : <AuditTrailScreen key={`${record.entity}/${record.entityId}`} entity={record.entity} entityId={record.entityId} />;
  }
  return undefined;
}
