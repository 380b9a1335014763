/** This area's screens (its own chunk, loaded when the area is first opened). */
import type { VNode } from 'preact';
import { match } from '../../router';
import './procurement.css';
import { ContractScreen, ContractsScreen } from './contracts';
import { ContractorScreen, ContractorsScreen } from './contractors';
import { SegmentHistoryScreen, SegmentsScreen } from './segments';
import { NewTenderScreen, TenderScreen, TendersScreen } from './tenders';

export function screen(path: string): VNode | undefined {
  const bare = path.split('?')[0]!;
  if (bare === '/procurement' || bare === '/procurement/segments') return <SegmentsScreen path={path} />;
  let params = match('/procurement/segments/:segmentId', path);
  if (params !== undefined) return <SegmentHistoryScreen segmentId={params['segmentId']!} />;
  if (bare === '/procurement/contractors') return <ContractorsScreen path={path} />;
  params = match('/procurement/contractors/:contractorId', path);
  if (params !== undefined) return <ContractorScreen contractorId={params['contractorId']!} />;
  if (bare === '/procurement/tenders') return <TendersScreen />;
  if (bare === '/procurement/tenders/new') return <NewTenderScreen />;
  params = match('/procurement/tenders/:tenderId', path);
  if (params !== undefined) return <TenderScreen tenderId={params['tenderId']!} />;
  if (bare === '/procurement/contracts') return <ContractsScreen path={path} />;
  params = match('/procurement/contracts/:contractId', path);
  if (params !== undefined) return <ContractScreen contractId={params['contractId']!} path={path} />;
  return undefined;
}
