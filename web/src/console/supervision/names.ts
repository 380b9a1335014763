/**
 * Names beside ids: contract titles and contractor names as the API holds them, read once per
 * visit of the area (a district has tens of contracts, not thousands).
 */
import { api, must } from '../../api/client';
import { allPages } from '../../api/lists';
import { label } from '../../i18n';

export interface Names {
  contract(contractId: string): string;
  contractor(contractorId: string): string;
}

let loading: Promise<Names> | undefined;

async function read(): Promise<Names> {
  const [contracts, contractors] = await Promise.all([
    allPages(async (cursor) => must(await api.GET('/v1/contracts', { params: { query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } } }))),
    allPages(async (cursor) => must(await api.GET('/v1/contractors', { params: { query: { limit: 200, status: 'all', ...(cursor === undefined ? {} : { cursor }) } } }))),
  ]);
  const titles = new Map(contracts.map((contract) => [contract.contractId, contract.title]));
  const companies = new Map(contractors.map((contractor) => [contractor.contractorId, { zh: contractor.name, en: contractor.nameEn ?? contractor.name }]));
  return {
    contract: (id) => titles.get(id) ?? id,
    contractor: (id) => {
      const name = companies.get(id);
      return name === undefined ? id : label(name);
    },
  };
}

/** The tenant's contract and contractor names; ids stand in for anything the API did not list. */
export function names(): Promise<Names> {
  loading ??= read().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
