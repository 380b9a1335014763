import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { exportFileName } from '../../../../../domain/payments/export-table';
import { attachmentDisposition, S3ExportStore } from '../../../../../functions/adapters/export/s3-exports';
import { exportNames, exportSubject } from '../../../domain/payments/export-fixtures';

const client = new S3Client({ region: 'cn-north-1', endpoint: 'http://127.0.0.1:1', forcePathStyle: true, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const store = new S3ExportStore({ client, bucket: 'xiuhua-exports-test' });

describe('attachmentDisposition', () => {
  it('carries the Chinese name as RFC 5987 filename* and the ASCII fallback as filename', () => {
    // Act
    const header = attachmentDisposition(exportFileName(exportSubject(), exportNames, 'zh', 'xlsx'));

    // Assert
    expect(header).toBe(
      `attachment; filename="statement_con_01JNQ0000000000000000000A1_2025-06_zh.xlsx"; filename*=UTF-8''${encodeURIComponent('结算单_南京东路街道道路保洁服务合同_2025-06_zh.xlsx')}`,
    );
    expect(/^[\x20-\x7e]+$/.test(header)).toBe(true);
  });

  it("percent-encodes the ' ( ) * that encodeURIComponent leaves and RFC 5987 does not allow", () => {
    expect(attachmentDisposition({ name: "合同(一)'*.csv", asciiName: 'a.csv' })).toBe(`attachment; filename="a.csv"; filename*=UTF-8''%E5%90%88%E5%90%8C%28%E4%B8%80%29%27%2A.csv`);
  });
});

describe('S3ExportStore.presignGet', () => {
  it('signs the link with the file name as the response Content-Disposition', async () => {
    // Act
    const url = new URL(await store.presignGet('exports/huangpu/con_x/2025-06/2-zh.xlsx', 300, exportFileName(exportSubject(), exportNames, 'zh', 'xlsx')));

    // Assert
    expect(url.searchParams.get('response-content-disposition')).toBe(attachmentDisposition(exportFileName(exportSubject(), exportNames, 'zh', 'xlsx')));
  });

  it('falls back to the key when no name is given', async () => {
    const url = new URL(await store.presignGet('exports/huangpu/con_x/2025-06/2-zh.xlsx', 300));

    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="2-zh.xlsx"; filename*=UTF-8''2-zh.xlsx`);
  });
});
