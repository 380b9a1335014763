/**
 * Domain errors. They carry no HTTP status: functions/shared/problem.ts maps each class to
 * one (STYLE habit 5). Every class sets `name` and accepts `{ cause }` (habit 6).
 */

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `body.features.3.geometry`. */
  readonly path: string;
  readonly message: string;
  /** The message in Chinese (zh-CN), shown when the caller asks for it (Accept-Language). */
  readonly zh?: string;
}

/** Options every domain error takes: the cause (habit 6) and the detail in Chinese. */
export interface DomainErrorOptions {
  readonly cause?: unknown;
  /**
   * The detail in Chinese (zh-CN), with the same numbers as the English message. The API
   * answers it when `Accept-Language` prefers Chinese (functions/shared/locale.ts); without it
   * the English message is answered to every caller.
   */
  readonly zh?: string;
}

export abstract class DomainError extends Error {
  /** Stable machine-readable slug; becomes the problem `type` URI's last segment. */
  abstract readonly code: string;
  /** The detail in Chinese, when the thrower gave one. */
  readonly zh: string | undefined;
  constructor(message: string, options?: DomainErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.zh = options?.zh;
  }
}

/** Input breaks a rule about its shape or content; nothing was changed. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'validation';
  constructor(
    message: string,
    readonly issues: readonly FieldIssue[],
    options?: DomainErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The Chinese names of the entities the errors below name (DESIGN §1's glossary), so a 404 or
 * a 412 reads in Chinese without each thrower writing it. An entity not listed keeps its
 * English name inside the Chinese sentence.
 */
export const entityNamesZh: Readonly<Record<string, string>> = {
  segment: '路段',
  contract: '合同',
  contractor: '作业单位',
  task: '作业任务',
  proof: '作业凭证',
  inspection: '检查记录',
  'rectification order': '整改通知书',
  complaint: '诉求',
  'work order': '工单',
  statement: '结算单',
  'statement version': '结算单版本',
  'statement line': '结算单明细',
  tender: '招标',
  lot: '标段',
  bid: '投标',
  'evaluation of lot': '标段评审',
  standard: '作业标准',
  'schedule exception': '作业例外',
  calendar: '工作日历',
  rulebook: '考核办法',
  'rulebook template': '考核办法模板',
  'spot-check draw': '抽查抽签',
  'sweep checkpoint': '漏做任务扫描进度',
  tenant: '辖区',
  service_code: '服务类别 service_code',
  jurisdiction_id: '辖区 jurisdiction_id',
};

export function entityNameZh(entity: string): string {
  return entityNamesZh[entity] ?? entity;
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly code = 'not-found';
  constructor(readonly entity: string, readonly id: string, options?: DomainErrorOptions) {
    super(`${entity} '${id}' does not exist`, { ...options, zh: options?.zh ?? `${entityNameZh(entity)} '${id}' 不存在` });
  }
}

/** The caller may not do this (DESIGN §4, decided by domain/policy.ts). */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly code = 'forbidden';
}

/** A record that must be unique already exists, or a state transition is not allowed now. */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly code = 'conflict';
  /** The rules that refuse the step, as stable slugs (e.g. `reviewer-not-approver`); empty when none is named. */
  readonly rules: readonly string[];
  constructor(message: string, options?: DomainErrorOptions & { readonly rules?: readonly string[] }) {
    super(message, options);
    this.rules = options?.rules ?? [];
  }
}

/** The caller's `If-Match` version is not the record's current version. */
export class StaleVersionError extends DomainError {
  override readonly name = 'StaleVersionError';
  readonly code = 'stale-version';
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly expected: number,
    readonly actual: number | undefined,
    options?: DomainErrorOptions,
  ) {
    super(
      actual === undefined
        ? `${entity} '${id}' was changed concurrently; version ${expected} is no longer current`
        : `${entity} '${id}' is at version ${actual}, not ${expected}`,
      {
        ...options,
        zh:
          options?.zh ??
          (actual === undefined
            ? `${entityNameZh(entity)} '${id}' 已被同时修改，版本 ${expected} 已不是当前版本`
            : `${entityNameZh(entity)} '${id}' 当前为版本 ${actual}，不是版本 ${expected}`),
      },
    );
  }
}

/** Well-formed input that a business rule refuses (HTTP 422). */
export class RuleViolationError extends DomainError {
  override readonly name = 'RuleViolationError';
  readonly code = 'rule-violation';
  /** The input field each reason is about (same index as `reasons`), where one is; '' or absent when none. */
  readonly fields: readonly string[];
  /** Each reason in Chinese (same index as `reasons`), where the thrower gave one. */
  readonly reasonsZh: readonly (string | undefined)[];
  constructor(
    message: string,
    readonly reasons: readonly string[] = [],
    options?: DomainErrorOptions & { readonly fields?: readonly string[]; readonly reasonsZh?: readonly (string | undefined)[] },
  ) {
    super(message, options);
    this.fields = options?.fields ?? [];
    this.reasonsZh = options?.reasonsZh ?? [];
  }
}
