import { decodeTaskId } from '../../domain/schedule/task-id';

/**
 * Stable labels for the identifiers a run of the scripted month is given (test/faults): ids the
 * service generates from ULIDs (whose time part is the wall clock, and which a retried request
 * may draw anew), evidence ids and S3 keys (random UUIDs), and task ids (derived from the
 * contract id, so they differ with it). The script names each id it is answered with after the
 * step that got it ("proof:d03:t1", "contract:cleaning"); `canonical` replaces every occurrence
 * in a text by its label. Nothing else is changed: amounts, counts, dates, points, the order of
 * lines and sources stay as the service wrote them.
 */
export class Labels {
  readonly #labels = new Map<string, string>();
  readonly #keys = new Map<string, string>();
  readonly unlabelled: string[] = [];

  add(id: string, label: string): void {
    const known = this.#labels.get(id);
    if (known !== undefined && known !== label) throw new Error(`id ${id} labelled twice: ${known}, ${label}`);
    this.#labels.set(id, `<${label}>`);
  }

  /** An S3 key the service chose for an upload (its UUID part is random). */
  addKey(key: string, label: string): void {
    this.#keys.set(key, label);
    const uuid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.exec(key)?.[1];
    if (uuid !== undefined) this.#labels.set(uuid, `<upload:${label}>`);
  }

  /** The label of an event's (URL-encoded) key, for seeding per-object decisions. */
  stableKey(encodedKey: string): string {
    const key = decodeURIComponent(encodedKey.replaceAll('+', ' '));
    return this.#keys.get(key) ?? key;
  }

  #label(id: string): string {
    const known = this.#labels.get(id);
    if (known !== undefined) return known;
    let index = this.unlabelled.indexOf(id);
    if (index === -1) index = this.unlabelled.push(id) - 1;
    return `<unlabelled#${index}>`;
  }

  /**
   * The text with every run-specific identifier replaced by its label. A JSON text is walked:
   * a list made only of labelled ids (a statement line's `sources`, which the service sorts by
   * id) is sorted again by label, since the raw ids sort differently from run to run.
   */
  canonical(text: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.#relabel(text);
    }
    const walk = (value: unknown): unknown => {
      if (typeof value === 'string') return this.#relabel(value);
      if (Array.isArray(value)) {
        const items = value.map(walk);
        return items.length > 1 && items.every((item) => typeof item === 'string' && item.startsWith('<')) ? [...(items as string[])].sort() : items;
      }
      if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, walk(inner)]));
      return value;
    };
    return this.#relabel(JSON.stringify(walk(parsed)));
  }

  #relabel(text: string): string {
    return text
      // The sha-256 of the statement's canonical inputs, which hold the ids above: it differs
      // whenever they do. The inputs themselves are compared through the statement's lines.
      .replace(/"inputsDigest":"[0-9a-f]{64}"/g, '"inputsDigest":"<sha-256 of the inputs, which hold the run\'s ids>"')
      .replace(/tsk_[0-9a-z]{20,}/g, (taskId) => {
        const parts = decodeTaskId(taskId);
        if (parts === undefined) return this.#label(taskId);
        return `<task ${this.#labels.get(parts.contractId) ?? parts.contractId} ${parts.segmentId} ${parts.activity} ${new Date(parts.windowStartMs).toISOString()}>`;
      })
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (uuid) => this.#label(uuid))
      .replace(/\bev_[0-9a-f]{32}\b/g, (evidenceId) => this.#label(evidenceId))
      .replace(/\b[a-z]{2,5}_[0-9a-hjkmnp-tv-z]{26}\b/g, (id) => this.#label(id));
  }
}
