/**
 * One plot as a person and a screen reader read it: a heading, the SVG (Observable Plot, loaded
 * on first use so it stays out of every other chunk) named by its aria-label, a sentence that
 * says what it shows, and the numbers as the API gives them in a table under <details>.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBox } from '../../ui/common';
import { st } from './messages';

export type PlotModule = typeof import('@observablehq/plot');

let loading: Promise<PlotModule> | undefined;

function plotModule(): Promise<PlotModule> {
  loading ??= import('@observablehq/plot').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** The plots' shared look: desktop width, Chinese-capable fonts, readable ticks. */
export const plotStyle = { fontSize: '13px', fontFamily: 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif', overflow: 'visible' } as const;

export interface PlotFigureProps {
  readonly title: string;
  /** Heading level in the page's outline. */
  readonly level?: 2 | 3 | 4;
  /** The accessible name of the SVG (what it plots, with units). */
  readonly label: string;
  /** What a reader takes away, in words, from the API's figures. */
  readonly summary: ComponentChildren;
  /** Draws the plot; `width` is the figure's width in CSS pixels. Redrawn when `drawKey` changes. */
  readonly draw: (Plot: PlotModule, width: number) => SVGSVGElement | HTMLElement;
  readonly drawKey: string;
  /** The numbers behind the plot. */
  readonly table: ComponentChildren;
}

export function PlotFigure({ title, level = 2, label, summary, draw, drawKey, table }: PlotFigureProps) {
  const holder = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>();
  const [drawn, setDrawn] = useState(false);
  useEffect(() => {
    let live = true;
    let element: Element | undefined;
    plotModule().then(
      (Plot) => {
        if (!live || holder.current === null) return;
        element = draw(Plot, Math.max(480, holder.current.clientWidth));
        const charts = element instanceof SVGSVGElement ? [element] : [...element.querySelectorAll(':scope > svg')];
        // The chart itself is one image with a name; its ticks are read from the table, and a
        // legend's little swatches are decoration beside their text.
        for (const svg of charts) {
          svg.setAttribute('role', 'img');
          svg.setAttribute('aria-label', label);
          // Plot names its marks' groups (aria-label on <g>, which has no role to carry it):
          // inside an image they are noise to a screen reader, and axe refuses them.
          for (const named of svg.querySelectorAll('[aria-label], [aria-description]')) {
            named.removeAttribute('aria-label');
            named.removeAttribute('aria-description');
          }
        }
        if (!(element instanceof SVGSVGElement)) for (const swatch of element.querySelectorAll(':scope > div svg')) swatch.setAttribute('aria-hidden', 'true');
        holder.current.replaceChildren(element);
        setDrawn(true);
      },
      (caught: unknown) => live && setError(caught),
    );
    return () => {
      live = false;
      element?.remove();
    };
    // Redrawn when what it shows changes, not when the parent renders new closures.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drawKey]);
  const Heading = (['h2', 'h3', 'h4'] as const)[level - 2]!;
  return (
    <figure class="plot-figure">
      <Heading>{title}</Heading>
      <div ref={holder} class="plot" />
      {error !== undefined ? <ErrorBox error={error} /> : drawn ? null : <p class="muted" role="status">{st('plotLoading')}</p>}
      <figcaption class="plot-summary">{summary}</figcaption>
      <details class="plot-data">
        <summary>{st('dataTable')}</summary>
        {table}
      </details>
    </figure>
  );
}
