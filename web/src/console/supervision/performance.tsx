/**
 * 履约趋势: per contract, the last months' score, deductions by category and the KPIs against
 * the rulebook's targets (GET /v1/supervision/performance). Every figure is the statement's and
 * its kept assessment's as the API answers; the browser only places them on axes.
 */
import { useState } from 'preact/hooks';
import { api, must, type Schemas } from '../../api/client';
import { formatBps, formatFen, formatX100, label, language } from '../../i18n';
import { navigate } from '../../router';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { PageTitle, Rate, Score, Money } from '../ui';
import { st } from './messages';
import { ServiceTypeSelect, serviceTypes, typeLabel, type ServiceType } from './service-type';
import { currentMonth, isMonth, periodLabel } from './months';
import { PlotFigure, plotStyle, type PlotModule } from './plot-figure';
import { statusText } from './audit-labels';

type Performance = Schemas['SupervisionPerformance'];
type ContractPerformance = Schemas['ContractPerformance'];
type KpiName = keyof Schemas['SupervisionMonth']['kpis'];

const windowSizes = [6, 12, 24] as const;
/** Contract colours, distinguishable on white and in greyscale print. */
const palette = ['#1d4ed8', '#c2410c', '#15803d', '#7c3aed', '#0e7490', '#be185d', '#4d7c0f', '#b45309'];

export interface PerformanceQuery {
  readonly to: string;
  readonly months: number;
  readonly serviceType?: ServiceType;
}

export function performanceQuery(query: URLSearchParams): PerformanceQuery {
  const to = query.get('to') ?? '';
  const months = Number(query.get('months'));
  const type = query.get('serviceType') ?? '';
  return {
    to: isMonth(to) ? to : currentMonth(),
    months: (windowSizes as readonly number[]).includes(months) ? months : 12,
    ...((serviceTypes as readonly string[]).includes(type) ? { serviceType: type as ServiceType } : {}),
  };
}

function performancePath(query: PerformanceQuery): string {
  const params = new URLSearchParams({ to: query.to, months: String(query.months) });
  if (query.serviceType !== undefined) params.set('serviceType', query.serviceType);
  return `/supervision/performance?${params.toString()}`;
}

const zh = (): boolean => language() === 'zh';

/** A month tick: 12月 / Dec. */
function monthTick(month: string, index: number): string {
  const [year, number] = month.split('-') as [string, string];
  const n = Number(number);
  // January says its year instead (2026年), as Chinese charts do; the axis label names the span.
  if (n === 1 && index > 0) return zh() ? `${year}年` : year;
  if (zh()) return `${n}月`;
  return ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][n - 1]!;
}

/** Axis ticks in the units people say: 95 分, 98%, ¥12,000. */
const scoreTick = (x100: number): string => formatX100(Math.round(x100));
const rateTick = (bps: number): string => formatBps(Math.round(bps)).replace(/\.00%$/, '%');
const yuanTick = (fen: number): string => formatFen(Math.round(fen)).replace(/\.00$/, '');

/**
 * The series name of a contract: its contractor and service type, short enough for a legend;
 * its title where one contractor holds two contracts of a type (the tables always show titles).
 */
function seriesNames(contracts: readonly ContractPerformance[]): Map<string, string> {
  const base = contracts.map((contract) => `${contract.contractorName ?? contract.contractorId}·${typeLabel(contract.serviceType)}`);
  return new Map(contracts.map((contract, i) => [contract.contractId, base.indexOf(base[i]!) === base.lastIndexOf(base[i]!) ? base[i]! : (contract.contractTitle ?? contract.contractId)]));
}

function colorScale(series: Map<string, string>) {
  return { domain: [...series.values()], range: palette, legend: true, label: st('contract') };
}

function monthAxis(performance: Performance) {
  return {
    type: 'band' as const,
    domain: performance.months,
    label: `${st('monthAxis')}（${periodLabel(performance.from, zh())}—${periodLabel(performance.to, zh())}）`,
    labelAnchor: 'center' as const,
    tickFormat: (month: string, i: number) => monthTick(month, i),
    padding: 0.3,
  };
}

// --- Score ---------------------------------------------------------------------------------

function ScorePlot({ performance, series }: { performance: Performance; series: Map<string, string> }) {
  const points = performance.contracts.flatMap((contract) => contract.months.map((month) => ({ contract: series.get(contract.contractId)!, month: month.month, scoreX100: month.scoreX100 })));
  const latest = performance.contracts
    .filter((contract) => contract.months.length > 0)
    .map((contract) => {
      const last = contract.months[contract.months.length - 1]!;
      return `${series.get(contract.contractId)} ${periodLabel(last.month, zh())} ${formatX100(last.scoreX100)} 分`;
    });
  const draw = (Plot: PlotModule, width: number) =>
    Plot.plot({
      width,
      height: 340,
      marginLeft: 56,
      marginBottom: 40,
      style: plotStyle,
      x: monthAxis(performance),
      y: { domain: [0, 10000], label: st('scoreAxis'), tickFormat: scoreTick, grid: true, ticks: 5 },
      color: colorScale(series),
      marks: [
        Plot.ruleY([0]),
        Plot.lineY(points, { x: 'month', y: 'scoreX100', z: 'contract', stroke: 'contract', strokeWidth: 2.5 }),
        Plot.dot(points, { x: 'month', y: 'scoreX100', fill: 'contract', r: 5, stroke: 'white', title: (d: (typeof points)[number]) => `${d.contract}\n${periodLabel(d.month, zh())}：${formatX100(d.scoreX100)} 分` }),
        Plot.text(points, Plot.selectLast({ x: 'month', y: 'scoreX100', z: 'contract', text: (d: (typeof points)[number]) => formatX100(d.scoreX100), dy: -12, fontWeight: 'bold', fill: 'contract' })),
      ],
    });
  return (
    <PlotFigure
      title={st('scorePlotTitle')}
      label={`${st('scorePlotTitle')}：${st('scoreAxis')}`}
      drawKey={JSON.stringify(points)}
      draw={draw}
      summary={
        points.length === 0 ? (
          st('noScores')
        ) : (
          <>
            {st('scoreSummary', { count: performance.contracts.length, months: performance.months.length, latest: latest.join('；') })}
          </>
        )
      }
      table={
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{st('month')}</th>
              <th scope="col">{st('contract')}</th>
              <th scope="col" class="num">{st('scoreUnit')}</th>
              <th scope="col" class="num">{st('net')}</th>
              <th scope="col">{st('status')}</th>
            </tr>
          </thead>
          <tbody>
            {performance.contracts.flatMap((contract) =>
              contract.months.map((month) => (
                <tr key={`${contract.contractId}/${month.month}`}>
                  <td>{periodLabel(month.month, zh())}</td>
                  <td>{contract.contractTitle ?? contract.contractId}</td>
                  <td class="num">
                    <Score x100={month.scoreX100} />
                  </td>
                  <td class="num">
                    <Money fen={month.netFen} />
                  </td>
                  <td>{label(statusText[month.status] ?? { zh: month.status, en: month.status })}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      }
    />
  );
}

// --- Deductions by category ------------------------------------------------------------------

function DeductionPlots({ performance, contract, name }: { performance: Performance; contract: ContractPerformance; name: string }) {
  const rows = contract.months.flatMap((month) =>
    (month.deductions ?? []).map((deduction) => ({
      month: month.month,
      category: (zh() ? deduction.labelZh : deduction.labelEn) ?? deduction.category,
      pointsX100: deduction.pointsX100,
      fineFen: deduction.fineFen,
      deduction,
    })),
  );
  const withoutAssessment = contract.months.filter((month) => !month.assessmentStored).map((month) => periodLabel(month.month, zh()));
  const last = contract.months[contract.months.length - 1];
  const lastWords = (last?.deductions ?? []).map((deduction) => `${(zh() ? deduction.labelZh : deduction.labelEn) ?? deduction.category} ${formatX100(deduction.pointsX100)} 分、${formatFen(deduction.fineFen)}（${deduction.occurrences} 次）`);
  const bars = (Plot: PlotModule, width: number, y: 'pointsX100' | 'fineFen') =>
    Plot.plot({
      width,
      height: 260,
      marginLeft: y === 'fineFen' ? 80 : 56,
      marginBottom: 40,
      style: plotStyle,
      x: monthAxis(performance),
      y: y === 'pointsX100' ? { label: st('pointsAxis'), tickFormat: scoreTick, grid: true, ticks: 5 } : { label: st('deductionsAxis'), tickFormat: yuanTick, grid: true, ticks: 5 },
      color: { type: 'ordinal', scheme: 'tableau10', legend: true, label: st('category') },
      marks: [
        Plot.barY(rows, { x: 'month', y, fill: 'category', title: (d: (typeof rows)[number]) => `${d.category} ${periodLabel(d.month, zh())}：${y === 'pointsX100' ? `${formatX100(d.pointsX100)} 分` : formatFen(d.fineFen)}` }),
        Plot.ruleY([0]),
      ],
    });
  const summary =
    last === undefined ? (
      st('noScores')
    ) : (
      <>
        {periodLabel(last.month, zh())}：{lastWords.length === 0 ? st('noDeductions') : lastWords.join('；')}
        {withoutAssessment.length === 0 ? null : <span class="muted">（{withoutAssessment.join('、')}：无考核明细）</span>}
      </>
    );
  const table = (
    <table class="data">
      <thead>
        <tr>
          <th scope="col">{st('month')}</th>
          <th scope="col">{st('category')}</th>
          <th scope="col" class="num">{st('occurrences')}</th>
          <th scope="col" class="num">{st('pointsCounted')}</th>
          <th scope="col" class="num">{st('pointsRaw')}</th>
          <th scope="col" class="num">{st('pointsCap')}</th>
          <th scope="col" class="num">{st('fine')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.month}/${row.deduction.category}`}>
            <td>{periodLabel(row.month, zh())}</td>
            <td>{row.category}</td>
            <td class="num">{row.deduction.occurrences}</td>
            <td class="num">
              <Score x100={row.deduction.pointsX100} />
            </td>
            <td class="num">
              <Score x100={row.deduction.rawPointsX100} />
            </td>
            <td class="num">{row.deduction.capX100 === null ? '—' : <Score x100={row.deduction.capX100} />}</td>
            <td class="num">
              <Money fen={row.deduction.fineFen} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const key = JSON.stringify(rows.map((row) => [row.month, row.category, row.pointsX100, row.fineFen]));
  return (
    <section class="deductions">
      <h3>{name}</h3>
      {rows.length === 0 ? (
        <p class="muted">{summary}</p>
      ) : (
      <div class="grid-2">
        <PlotFigure level={4} title={st('pointsByCategory')} label={`${name}：${st('pointsByCategory')}（${st('pointsAxis')}）`} drawKey={`p${key}`} draw={(Plot, width) => bars(Plot, width, 'pointsX100')} summary={summary} table={table} />
        <PlotFigure level={4} title={st('finesByCategory')} label={`${name}：${st('finesByCategory')}（${st('deductionsAxis')}）`} drawKey={`f${key}`} draw={(Plot, width) => bars(Plot, width, 'fineFen')} summary={st('finesNote')} table={table} />
      </div>
      )}
    </section>
  );
}

// --- KPIs against the rulebook's targets --------------------------------------------------------

const kpiNames: readonly KpiName[] = ['taskCompletion', 'onTimeRectification', 'complaintResolution'];

function KpiPlot({ performance, series, kpi }: { performance: Performance; series: Map<string, string>; kpi: KpiName }) {
  const all = performance.contracts.flatMap((contract) => contract.months.map((month) => ({ contract: series.get(contract.contractId)!, contractTitle: contract.contractTitle ?? contract.contractId, month: month.month, ...month.kpis[kpi] })));
  const rates = all.filter((row) => row.rateBps !== null) as (Omit<(typeof all)[number], 'rateBps'> & { rateBps: number })[];
  const targets = all.filter((row) => row.targetBps !== null) as (Omit<(typeof all)[number], 'targetBps'> & { targetBps: number })[];
  const name = st(`kpi_${kpi}`);
  const latest = performance.contracts
    .filter((contract) => contract.months.length > 0)
    .map((contract) => {
      const last = contract.months[contract.months.length - 1]!;
      const figure = last.kpis[kpi];
      const rate = figure.rateBps === null ? st('notDue') : formatBps(figure.rateBps);
      const target = figure.targetBps === null ? '' : `，${st('target')} ${formatBps(figure.targetBps)}`;
      const below = figure.belowTarget === true ? `，${st('belowTarget')}` : '';
      return `${series.get(contract.contractId)} ${periodLabel(last.month, zh())} ${rate}（${target.slice(1)}${below}）`.replace('（）', '');
    });
  const draw = (Plot: PlotModule, width: number) =>
    Plot.plot({
      width,
      height: 300,
      marginLeft: 56,
      marginRight: 72,
      marginBottom: 40,
      style: plotStyle,
      x: monthAxis(performance),
      y: { domain: [0, 10000], label: st('rateAxis'), tickFormat: rateTick, grid: true, ticks: 5 },
      color: colorScale(series),
      marks: [
        Plot.ruleY([0]),
        // The rulebook's target: dashed, in the contract's colour, one dash per month it applied.
        Plot.tickY(targets, { x: 'month', y: 'targetBps', stroke: 'contract', strokeDasharray: '6,4', strokeWidth: 2 }),
        Plot.lineY(targets, { x: 'month', y: 'targetBps', z: 'contract', stroke: 'contract', strokeDasharray: '6,4', strokeWidth: 1.5, strokeOpacity: 0.7 }),
        Plot.text(targets, Plot.selectLast({ x: 'month', y: 'targetBps', z: 'contract', text: (d: (typeof targets)[number]) => `${st('target')} ${rateTick(d.targetBps)}`, dy: -10, fill: 'contract' })),
        Plot.lineY(rates, { x: 'month', y: 'rateBps', z: 'contract', stroke: 'contract', strokeWidth: 2.5 }),
        Plot.dot(rates, { x: 'month', y: 'rateBps', fill: 'contract', r: 5, stroke: 'white', title: (d: (typeof rates)[number]) => `${d.contract}\n${periodLabel(d.month, zh())}：${formatBps(d.rateBps)}${d.formula === null ? '' : `\n${d.formula}`}` }),
      ],
    });
  return (
    <PlotFigure
      level={3}
      title={st('kpiPlotTitle', { kpi: name })}
      label={`${st('kpiPlotTitle', { kpi: name })}（${st('rateAxis')}，${st('targetLine')}）`}
      drawKey={JSON.stringify([rates.map((row) => [row.contract, row.month, row.rateBps]), targets.map((row) => [row.contract, row.month, row.targetBps])])}
      draw={draw}
      summary={
        <>
          {st('targetLine')}。{latest.join('；')}
        </>
      }
      table={
        <table class="data">
          <thead>
            <tr>
              <th scope="col">{st('month')}</th>
              <th scope="col">{st('contract')}</th>
              <th scope="col" class="num">{st('numerator')}</th>
              <th scope="col" class="num">{st('denominator')}</th>
              <th scope="col" class="num">{st('rate')}</th>
              <th scope="col" class="num">{st('target')}</th>
              <th scope="col">{st('belowTargetColumn')}</th>
              <th scope="col">{st('formula')}</th>
            </tr>
          </thead>
          <tbody>
            {all.map((row) => (
              <tr key={`${row.contract}/${row.month}`}>
                <td>{periodLabel(row.month, zh())}</td>
                <td>{row.contractTitle}</td>
                <td class="num">{row.numerator ?? '—'}</td>
                <td class="num">{row.denominator ?? '—'}</td>
                <td class="num">
                  <Rate bps={row.rateBps} />
                </td>
                <td class="num">
                  <Rate bps={row.targetBps} />
                </td>
                <td>{row.belowTarget === null ? '—' : row.belowTarget ? st('yes') : st('no')}</td>
                <td>{row.formula ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

// --- The screen -----------------------------------------------------------------------------------

function Filters({ query }: { query: PerformanceQuery }) {
  const [to, setTo] = useState(query.to);
  const [months, setMonths] = useState(query.months);
  const [serviceType, setServiceType] = useState<string>(query.serviceType ?? '');
  function submit(event: Event): void {
    event.preventDefault();
    navigate(performancePath({ to, months, ...((serviceTypes as readonly string[]).includes(serviceType) ? { serviceType: serviceType as ServiceType } : {}) }));
  }
  return (
    <form class="filters" onSubmit={submit}>
      <ServiceTypeSelect value={serviceType} onChange={setServiceType} />
      <label>
        {st('toMonth')}
        <input type="month" required value={to} max={currentMonth()} onInput={(event) => setTo((event.target as HTMLInputElement).value)} />
      </label>
      <label>
        {st('windowMonths')}
        <select value={String(months)} onChange={(event) => setMonths(Number((event.target as HTMLSelectElement).value))}>
          {windowSizes.map((size) => (
            <option key={size} value={String(size)}>
              {st('monthsCount', { count: size })}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary">
        {st('show')}
      </button>
    </form>
  );
}

export function PerformanceScreen({ query }: { query: PerformanceQuery }) {
  const loaded = useLoad(
    async () => must(await api.GET('/v1/supervision/performance', { params: { query: { to: query.to, months: query.months, ...(query.serviceType === undefined ? {} : { serviceType: query.serviceType }) } } })),
    [query.to, query.months, query.serviceType],
  );
  return (
    <>
      <PageTitle title={st('performanceTitle')} />
      <Filters key={performancePath(query)} query={query} />
      {loaded.error !== undefined ? (
        <ErrorBox error={loaded.error} onRetry={loaded.reload} />
      ) : loaded.data === undefined ? (
        <Loading />
      ) : loaded.data.contracts.length === 0 ? (
        <p class="box info">{st('noScores')}</p>
      ) : (
        <PerformanceView performance={loaded.data} />
      )}
    </>
  );
}

function PerformanceView({ performance }: { performance: Performance }) {
  const series = seriesNames(performance.contracts);
  return (
    <>
      <p class="muted">{st('performanceIntro', { from: periodLabel(performance.from, zh()), to: periodLabel(performance.to, zh()) })}</p>
      <ScorePlot performance={performance} series={series} />
      <section>
        <h2>{st('deductionsTitle')}</h2>
        {performance.contracts.map((contract) => (
          <DeductionPlots key={contract.contractId} performance={performance} contract={contract} name={contract.contractTitle ?? series.get(contract.contractId)!} />
        ))}
      </section>
      <section>
        <h2>{st('kpisTitle')}</h2>
        {kpiNames.map((kpi) => (
          <KpiPlot key={kpi} performance={performance} series={series} kpi={kpi} />
        ))}
      </section>
    </>
  );
}
