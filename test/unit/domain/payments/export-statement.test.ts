import { describe, expect, it } from 'vitest';
import { exportLinkSeconds, exportStatement, type ExportDeps } from '../../../../domain/payments/export-statement';
import { actorWith } from '../../../helpers/fakes';
import { exportNames, exportSubject } from './export-fixtures';

interface Put {
  key: string;
  body: Uint8Array | string;
  contentType: string;
  fileName: string | undefined;
}

function deps(found = true, named = true): ExportDeps & { puts: Put[] } {
  const puts: Put[] = [];
  return {
    puts,
    statement: async () => (found ? exportSubject('approved') : undefined),
    objects: {
      put: async (key, body, contentType, fileName) => void puts.push({ key, body, contentType, fileName: fileName?.name }),
      presignGet: async (key, seconds, fileName) => `https://exports.example/${key}?expires=${seconds}&name=${encodeURIComponent(fileName?.name ?? '')}`,
    },
    xlsx: async (tables) => new TextEncoder().encode(`xlsx:${tables.lines.name}:${tables.protect}:${JSON.stringify(tables.summary.preamble?.[0]?.[1])}`),
    ...(named ? { names: async () => exportNames } : {}),
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
    const fileName = '结算单_南京东路街道道路保洁服务合同_2025-06_zh.xlsx';
    expect(result).toEqual({
      key: 'exports/huangpu/con_01JNQ0000000000000000000A1/2025-06/2-zh.xlsx',
      url: `https://exports.example/exports/huangpu/con_01JNQ0000000000000000000A1/2025-06/2-zh.xlsx?expires=${exportLinkSeconds}&name=${encodeURIComponent(fileName)}`,
      expiresAt: '2025-07-02T02:05:00.000Z',
      fileName,
    });
    expect(d.puts[0]?.fileName).toBe(fileName);
    expect(new TextDecoder().decode(d.puts[0]!.body as Uint8Array)).toBe('xlsx:明细:true:{"text":"黄浦区"}');
  });

  it('writes the CSV of the lines as text/csv', async () => {
    const d = deps();

    await exportStatement(d, finance, { contractId: 'con_01JNQ0000000000000000000A1', month: '2025-06', format: 'csv', lang: 'en' });

    expect(d.puts[0]).toMatchObject({ key: 'exports/huangpu/con_01JNQ0000000000000000000A1/2025-06/2-en.csv', contentType: 'text/csv; charset=utf-8' });
    expect(String(d.puts[0]!.body).startsWith('\uFEFFContract,南京东路街道道路保洁服务合同\r\n')).toBe(true);
    expect(String(d.puts[0]!.body)).toContain('\r\n\r\nNo.,Item,Formula,Amount (CNY),Line key\r\n');
  });

  it('shows ids and names the file by contract id without a names reader', async () => {
    const d = deps(true, false);

    const result = await exportStatement(d, finance, { contractId: 'con_01JNQ0000000000000000000A1', month: '2025-06', format: 'xlsx', lang: 'zh' });

    expect(result.fileName).toBe('结算单_con_01JNQ0000000000000000000A1_2025-06_zh.xlsx');
    expect(new TextDecoder().decode(d.puts[0]!.body as Uint8Array)).toBe('xlsx:明细:true:{"text":"huangpu"}');
  });

  it('is finance only, and 404 for a month without a statement', async () => {
    const request = { contractId: 'con_01JNQ0000000000000000000A1', month: '2025-06', format: 'xlsx', lang: 'zh' } as const;

    await expect(exportStatement(deps(), actorWith({ tenantId: 'huangpu', roles: ['procurement'] }), request)).rejects.toThrow('may not statement:export');
    await expect(exportStatement(deps(false), finance, request)).rejects.toThrow('does not exist');
  });
});
