import type { ServiceDefinition } from '../../../domain/complaints/catalogue';
import { listServices } from '../../../domain/complaints/use-cases';
import { route } from '../../shared/http';
import { complaintDeps } from '../complaints/deps';
import { answer, renderOpen311Error, type Open311Format } from './format';
import { listServicesRoute, listServicesXmlRoute } from './routes';

/** A service as GET Service List shows it, fields in the spec's order. */
export function open311Service(service: ServiceDefinition): Record<string, unknown> {
  return {
    service_code: service.code,
    service_name: service.name,
    description: service.description,
    metadata: false,
    type: 'realtime',
    keywords: service.keywords,
    group: service.group,
  };
}

const listIn = (format: Open311Format) => async ({ query }: { query: { jurisdiction_id: string } }) => {
  const services = await listServices(complaintDeps(), query.jurisdiction_id);
  return answer(format, services.map(open311Service), { root: 'services', item: 'service' });
};

export const listServicesHandler = route(listServicesRoute, listIn('json'), { renderError: renderOpen311Error });
export const listServicesXmlHandler = route(listServicesXmlRoute, listIn('xml'), { renderError: renderOpen311Error });
