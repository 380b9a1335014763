/** This area's screens (its own chunk, loaded when the area is first opened). */
import type { VNode } from 'preact';
import { match } from '../../router';
import './finance.css';
import { DiffScreen } from './diff';
import { MonthScreen } from './month';
import { PrintScreen } from './print';
import { StatementScreen } from './statement';

/**
 * /finance/month?month=YYYY-MM                          the month's statements
 * /finance/statements/:contractId/:month[?v=n]          a statement (or a kept computation)
 * /finance/statements/:contractId/:month/print[?v=n]    the 结算单 for signature
 * /finance/statements/:contractId/:month/diff?from&to   two computations compared
 */
export function screen(path: string): VNode | undefined {
  if (match('/finance', path) !== undefined || match('/finance/month', path) !== undefined) return <MonthScreen key={path} path={path} />;
  const statement = match('/finance/statements/:contractId/:month', path);
  if (statement !== undefined) return <StatementScreen key={path} contractId={statement['contractId']!} month={statement['month']!} path={path} />;
  const print = match('/finance/statements/:contractId/:month/print', path);
  if (print !== undefined) return <PrintScreen key={path} contractId={print['contractId']!} month={print['month']!} path={path} />;
  const diff = match('/finance/statements/:contractId/:month/diff', path);
  if (diff !== undefined) return <DiffScreen key={path} contractId={diff['contractId']!} month={diff['month']!} path={path} />;
  return undefined;
}
