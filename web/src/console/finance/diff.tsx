/** Two computations of a statement side by side: each changed line before, after and its change (GET …/diff). */
import { useState } from 'preact/hooks';
import { api, must } from '../../api/client';
import { navigate } from '../../router';
import { ErrorBox, Loading, useLoad } from '../../ui/common';
import { Money, PageTitle, queryOf } from '../ui';
import { formulaOf, loadNames, loadStatement } from './data';
import { fm } from './messages';

export function DiffScreen({ contractId, month, path }: { contractId: string; month: string; path: string }) {
  const query = queryOf(path);
  const loaded = useLoad(async () => {
    const [record, names, versions] = await Promise.all([
      loadStatement(contractId, month),
      loadNames(contractId),
      api.GET('/v1/contracts/{contractId}/statements/{month}/versions', { params: { path: { contractId, month } } }).then((answer) => must(answer).items),
    ]);
    return { record, names, versions };
  }, [contractId, month]);
  const data = loaded.data;
  const current = data?.record.computeVersion ?? 1;
  const from = Number(query.get('from') ?? Math.max(1, current - 1));
  const to = Number(query.get('to') ?? current);
  const [pickFrom, setPickFrom] = useState(String(from));
  const [pickTo, setPickTo] = useState(String(to));
  const diff = useLoad(
    async () => must(await api.GET('/v1/contracts/{contractId}/statements/{month}/diff', { params: { path: { contractId, month }, query: { from, to } } })),
    [contractId, month, from, to],
  );
  if (loaded.error !== undefined) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (data === undefined) return <Loading />;
  const labels = new Map(data.record.statement.lines.map((line) => [line.key, line.labelZh]));
  const base = `/finance/statements/${encodeURIComponent(contractId)}/${month}`;
  return (
    <>
      <PageTitle title={fm('diffTitle', { title: data.names.contract.title, month })} />
      <p>
        <a href={`#${base}`}>{fm('backToStatement')}</a>
      </p>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(`${base}/diff?from=${pickFrom}&to=${pickTo}`);
        }}
      >
        <label>
          {fm('diffFrom')}
          <select value={pickFrom} onChange={(event) => setPickFrom(event.currentTarget.value)}>
            {data.versions.map((kept) => (
              <option key={kept.computeVersion} value={String(kept.computeVersion)}>
                {fm('versionRow', { v: kept.computeVersion })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {fm('diffTo')}
          <select value={pickTo} onChange={(event) => setPickTo(event.currentTarget.value)}>
            {data.versions.map((kept) => (
              <option key={kept.computeVersion} value={String(kept.computeVersion)}>
                {fm('versionRow', { v: kept.computeVersion })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          {fm('compare')}
        </button>
      </form>
      {diff.error !== undefined ? <ErrorBox error={diff.error} onRetry={diff.reload} /> : null}
      {diff.data === undefined ? (
        diff.error === undefined ? <Loading /> : null
      ) : (
        <section data-testid="diff">
          <h2>{fm('diffVersion', { from: diff.data.from, to: diff.data.to })}</h2>
          <p class="box info">
            {fm('net')}：<Money fen={diff.data.netBeforeFen} /> → <Money fen={diff.data.netAfterFen} />，{fm('delta')} <Money fen={diff.data.netDeltaFen} />
          </p>
          {diff.data.unchanged || diff.data.lines.length === 0 ? (
            <p class="muted">{fm('diffUnchanged')}</p>
          ) : (
            <table class="data diff">
              <thead>
                <tr>
                  <th scope="col">{fm('item')}</th>
                  <th scope="col" class="num">
                    {fm('before')}
                  </th>
                  <th scope="col" class="num">
                    {fm('after')}
                  </th>
                  <th scope="col" class="num">
                    {fm('delta')}
                  </th>
                  <th scope="col">{fm('formulaBefore')}</th>
                  <th scope="col">{fm('formulaAfter')}</th>
                </tr>
              </thead>
              <tbody>
                {diff.data.lines.map((line) => (
                  <tr key={line.key}>
                    <th scope="row">{labels.get(line.key) ?? line.labelEn}</th>
                    <td class="num">{line.beforeFen === null ? fm('absent') : <Money fen={line.beforeFen} />}</td>
                    <td class="num">{line.afterFen === null ? fm('absent') : <Money fen={line.afterFen} />}</td>
                    <td class="num">
                      <Money fen={line.deltaFen} />
                    </td>
                    <td class="formula">{line.beforeFormula === null ? fm('absent') : formulaOf({ formula: line.beforeFormula, ...zhOf(line, 'before') })}</td>
                    <td class="formula">{line.afterFormula === null ? fm('absent') : formulaOf({ formula: line.afterFormula, ...zhOf(line, 'after') })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}

/** The diff's zh formula, when the API adds one beside the English (`beforeFormulaZh`). */
function zhOf(line: object, side: 'before' | 'after'): { formulaZh?: string } {
  const value = (line as Record<string, unknown>)[`${side}FormulaZh`];
  return typeof value === 'string' ? { formulaZh: value } : {};
}
