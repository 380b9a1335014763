/**
 * The field app's local sign-in and configuration, served by `npm start` only (never by the
 * tests' adapter, never in AWS, where Cognito managed login signs users in):
 *
 *   GET  /app-config.json   { auth: { mode: 'dev' }, tiles? }  — XIUHUA_TILES_URL etc. add a map source
 *   GET  /dev/sign-in       the demo district's users, one per role (and the municipal crew)
 *   POST /dev/sign-in       { sub } → { idToken, name, expiresIn }: a dev token (12 h) for that user
 *
 * DEV ONLY, like the tokens the banner prints: anyone who reaches the loopback port may sign in
 * as any demo user, which is the point of a demo.
 */
import type { Role } from '../../domain/policy';
import { contractorIdFor } from '../../domain/contractors/identity';
import { devToken, devTokenLifetimeSeconds } from './dev-auth';
import type { AdapterResponse } from './http-server';
import { demoTenantId, demoUsers } from './seed';
import { demoContractors } from './seed-procurement';

export interface DevUserCard {
  readonly sub: string;
  readonly role: Role;
  readonly name: string;
  readonly detail?: string;
  readonly contractorId?: string;
}

const roleNames: Record<Role, string> = {
  procurement: '采购科 张敏',
  contractor: '保洁班组 王师傅',
  inspector: '巡查员 李强',
  finance: '财务科 陈静',
  admin: '系统管理员 赵磊',
};

/** The demo users the sign-in page offers (field roles first). */
export function demoUserCards(): DevUserCard[] {
  const municipalId = contractorIdFor(demoTenantId, demoContractors.municipal.code);
  const cards: DevUserCard[] = demoUsers.map((user) => ({
    sub: user.sub,
    role: user.role,
    name: roleNames[user.role],
    ...(user.contractorId === undefined ? {} : { contractorId: user.contractorId, detail: demoContractors.cleaning.name }),
  }));
  cards.push({ sub: 'demo-municipal-crew', role: 'contractor', name: '市政养护班组 刘师傅', contractorId: municipalId, detail: demoContractors.municipal.name });
  // A statement is approved by a second finance user after a first reviewed it (four eyes).
  cards.push({ sub: 'demo-finance-2', role: 'finance', name: '财务科长 周华', detail: '审批（第二人）' });
  const order: Role[] = ['contractor', 'inspector', 'procurement', 'finance', 'admin'];
  return cards.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}

function json(statusCode: number, body: unknown): AdapterResponse {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, cookies: [], body: Buffer.from(JSON.stringify(body)) };
}

/** The app's configuration: dev sign-in, and a tile source when the environment names one. */
export function localAppConfig(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const url = env['XIUHUA_TILES_URL'];
  const datum = env['XIUHUA_TILES_DATUM'] === 'gcj02' ? 'gcj02' : 'wgs84';
  return {
    auth: { mode: 'dev' },
    ...(url === undefined || url === '' ? {} : { tiles: { url, attribution: env['XIUHUA_TILES_ATTRIBUTION'] ?? '', datum, ...(env['XIUHUA_TILES_SUBDOMAINS'] === undefined ? {} : { subdomains: env['XIUHUA_TILES_SUBDOMAINS'] }) } }),
  };
}

/** Answers the three paths above; undefined for anything else. */
export async function devSignIn(method: string, path: string, body: Buffer): Promise<AdapterResponse | undefined> {
  if (path === '/app-config.json' && method === 'GET') return json(200, localAppConfig());
  if (path !== '/dev/sign-in') return undefined;
  const cards = demoUserCards();
  if (method === 'GET') return json(200, { tenantId: demoTenantId, users: cards.map(({ contractorId: _, ...card }) => card) });
  if (method !== 'POST') return json(405, { type: '/problems/method-not-allowed', title: 'Method Not Allowed', status: 405 });
  let sub: unknown;
  try {
    sub = (JSON.parse(body.toString('utf8')) as { sub?: unknown }).sub;
  } catch {
    sub = undefined;
  }
  const card = cards.find((candidate) => candidate.sub === sub);
  if (card === undefined) {
    return json(400, { type: '/problems/validation', title: '请求无效', status: 400, errors: [{ field: 'body.sub', message: `不是演示账号；可选：${cards.map((c) => c.sub).join(', ')}` }] });
  }
  const idToken = await devToken({ role: card.role, tenantId: demoTenantId, sub: card.sub, ...(card.contractorId === undefined ? {} : { contractorId: card.contractorId }) });
  return json(200, { idToken, name: card.name, expiresIn: devTokenLifetimeSeconds });
}
