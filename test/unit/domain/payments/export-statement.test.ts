import { describe, expect, it } from 'vitest';
import { exportLinkSeconds, exportStatement, type ExportDeps } from '../../../../domain/payments/export-statement';
import { actorWith } from '../../../helpers/fakes';
import { exportSubject } from './export-fixtures';

function deps(found = true): ExportDeps & { puts: { key: string; body: Uint8Array | string; contentType: string }[] } {
  const puts: { key: string; body: Uint8Array | string; contentType: string }[] = [];
  return {
    puts,
    statement: async () => (found ? exportSubject('approved') : undefined),
    objects: {
      put: async (key, body, contentType) => void puts.push({ key, body, contentType }),
      presignGet: async (key, seconds) => `https://exports.example/${key}?expires=${seconds}`,
    },
    xlsx: async (tables) => new TextEncoder().encode(`xlsx:${tables.lines.name}:${tables.protect}`),
    clock: { now: () => new Date('2025-07-02T02:00:00Z') },
  };
}

const finance = actorWith({ tenantId: 'huangpu', roles: ['finance'] });

describe('exportStatement', () => {
  it('stores the workbook under its computation key and links it for five minutes', async () => {
    // Prepare
    const d = deps();

    // Act
    const result = await exportStatement(d, finance, { contractId: 'con_01JNQ0000000000000000000A1', month: '2025-06', format: 'xlsx', lang: 'zh' });

    // Assess
    expect(result).toEqual({
      key: 'exports/huangpu/con_01JNQ0000000000000000000A1/2025-06/2-zh.xlsx',
      url: `https://exports.example/exports/huangpu/con_01JNQ0000000000000000000A1/2025-06/2-zh.xlsx?expires=${exportLinkSeconds}`,
      expiresAt: '2025-07-02T02:05:00.000Z',
    });
    expect(new TextDecoder().decode(d.puts[0]!.body as Uint8Array)).toBe('xlsx:明细:true');
  });

  it('writes the CSV of the lines as text/csv', async () => {
    const d = deps();

    await exportStatement(d, finance, { contractId: 'con_01JNQ0000000000000000000A1', month: '2025-06', format: 'csv', lang: 'en' });

    expect(d.puts[0]).toMatchObject({ key: 'exports/huangpu/con_01JNQ0000000000000000000A1/2025-06/2-en.csv', contentType: 'text/csv; charset=utf-8' });
    expect(String(d.puts[0]!.body).startsWith('\uFEFFLine,Code,Label,Formula,Amount (CNY)\r\n')).toBe(true);
  });

  it('is finance only, and 404 for a month without a statement', async () => {
    const request = { contractId: 'con_01JNQ0000000000000000000A1', month: '2025-06', format: 'xlsx', lang: 'zh' } as const;

    await expect(exportStatement(deps(), actorWith({ tenantId: 'huangpu', roles: ['procurement'] }), request)).rejects.toThrow('may not statement:export');
    await expect(exportStatement(deps(false), finance, request)).rejects.toThrow('does not exist');
  });
});
