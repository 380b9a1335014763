import { IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError } from '../../../../domain/errors';
import { PayloadTooLargeError, PreconditionRequiredError, TemporarilyUnavailableError, UnsupportedMediaTypeError } from '../../../../functions/shared/errors';
import { problemFor, problemResponse, problemTitle } from '../../../../functions/shared/problem';

/* Issue 13: problem details in the caller's language (Accept-Language: zh-CN). */

const requestId = 'Yx3KpgGXtjMEbcA=';

describe('problemFor in zh-CN', () => {
  it('answers a domain error\'s zh detail and a Chinese title, keeping type and status', () => {
    // Act
    const problem = problemFor(new ConflictError("segment 'seg_x' already exists", { zh: "路段 'seg_x' 已存在" }), requestId, 'zh-CN');

    // Assess
    expect(problem).toEqual({ type: '/problems/conflict', title: '冲突', status: 409, detail: "路段 'seg_x' 已存在", requestId });
  });

  it('answers the English detail to an English caller of the same error', () => {
    // Act
    const problem = problemFor(new ConflictError("segment 'seg_x' already exists", { zh: "路段 'seg_x' 已存在" }), requestId, 'en');

    // Assess
    expect(problem).toMatchObject({ title: 'Conflict', detail: "segment 'seg_x' already exists" });
  });

  it('keeps the English detail (under a Chinese title) when the thrower gave no zh', () => {
    // Act
    const problem = problemFor(new ConflictError('taken'), requestId, 'zh-CN');

    // Assess
    expect(problem).toMatchObject({ title: '冲突', detail: 'taken' });
  });

  it('builds a 404 and a 412 in Chinese from the entity and the versions', () => {
    // Act
    const missing = problemFor(new NotFoundError('rectification order', 'rec_1'), requestId, 'zh-CN');
    const stale = problemFor(new StaleVersionError('contract', 'con_1', 3, 5), requestId, 'zh-CN');
    const raced = problemFor(new StaleVersionError('work order', 'wko_1', 2, undefined), requestId, 'zh-CN');

    // Assess
    expect(missing).toMatchObject({ title: '未找到', detail: "整改通知书 'rec_1' 不存在" });
    expect(stale).toMatchObject({ title: '版本已变更', detail: "合同 'con_1' 当前为版本 5，不是版本 3" });
    expect(raced.detail).toBe("工单 'wko_1' 已被同时修改，版本 2 已不是当前版本");
  });

  it('lists each field issue\'s zh message, and the English one where a field has none', () => {
    // Prepare
    const error = new ValidationError('2 field(s) failed validation', [
      { path: 'body.name', message: 'Too small', zh: '数值过小' },
      { path: 'query.limit', message: 'Too big' },
    ], { zh: '2 个字段未通过校验' });

    // Act
    const problem = problemFor(error, requestId, 'zh-CN');

    // Assess
    expect(problem).toMatchObject({ title: '请求无效', detail: '2 个字段未通过校验' });
    expect(problem.errors).toEqual([
      { field: 'body.name', message: '数值过小' },
      { field: 'query.limit', message: 'Too big' },
    ]);
  });

  it('lists a rule violation\'s reasons in Chinese by index', () => {
    // Act
    const problem = problemFor(
      new RuleViolationError('proof refused', ['photo count 1 < 2', 'outside the window'], { zh: '凭证被拒', reasonsZh: ['照片数 1 < 2'], fields: ['body.photos'] }),
      requestId,
      'zh-CN',
    );

    // Assess
    expect(problem).toMatchObject({ title: '无法处理', detail: '凭证被拒' });
    expect(problem.errors).toEqual([
      { field: 'body.photos', message: '照片数 1 < 2' },
      { field: '', message: 'outside the window' },
    ]);
  });

  it.each([
    { error: new PayloadTooLargeError(256, 300), title: '请求体过大', detail: '请求体为 300 字节；此接口最多接受 256 字节' },
    { error: new UnsupportedMediaTypeError('text/plain'), title: '不支持的媒体类型', detail: "不接受 Content-Type 'text/plain'；请发送 application/json" },
    { error: new PreconditionRequiredError(), title: '需要 If-Match', detail: '此修改需要 If-Match 请求头，填写记录的当前版本（即其 ETag）' },
    { error: new IdempotencyValidationError('mismatch'), title: '无法处理', detail: '此 Idempotency-Key 已用于另一个不同的请求体' },
    { error: new Error('boom at 10.0.0.5'), title: '服务器内部错误', detail: '服务端出错；反馈问题时请提供请求编号（requestId）' },
  ])('answers the generic $title in Chinese', ({ error, title, detail }) => {
    // Act
    const problem = problemFor(error, requestId, 'zh-CN');

    // Assess
    expect(problem).toMatchObject({ title, detail });
  });

  it('answers a 503 in Chinese with the same wait in seconds', () => {
    // Act
    const problem = problemFor(new TemporarilyUnavailableError('the store is busy', 2), requestId, 'zh-CN');

    // Assess
    expect(problem).toMatchObject({ status: 503, title: '服务暂时不可用' });
    expect(problem.detail).toContain('请在 2 秒后重试同一请求');
  });
});

describe('problemResponse language headers', () => {
  it('names the language of the texts in Content-Language and varies on Accept-Language', () => {
    // Act
    const response = problemResponse(problemFor(new NotFoundError('task', 'tsk_x'), requestId, 'zh-CN'), {}, 'zh-CN');

    // Assess
    expect(response.headers).toMatchObject({ 'content-language': 'zh-CN', vary: 'Accept-Language' });
    expect(JSON.parse(response.body ?? '')).toMatchObject({ title: '未找到', detail: "作业任务 'tsk_x' 不存在" });
  });
});

describe('problemTitle', () => {
  it('keeps a title it has no Chinese for', () => {
    expect(problemTitle('I am a teapot', 'zh-CN')).toBe('I am a teapot');
    expect(problemTitle('Forbidden', 'zh-CN')).toBe('无权操作');
    expect(problemTitle('Forbidden', 'en')).toBe('Forbidden');
  });
});
