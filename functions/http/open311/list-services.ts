import { listServices } from '../../../domain/complaints/use-cases';
import { ok, route } from '../../shared/http';
import { complaintDeps } from '../complaints/deps';
import { listServicesRoute } from './routes';

export const listServicesHandler = route(listServicesRoute, async ({ query }) => {
  const services = await listServices(complaintDeps(), query.jurisdiction_id);
  return ok(
    services.map((service) => ({
      service_code: service.code,
      service_name: service.name,
      description: service.description,
      metadata: false,
      type: 'realtime',
      keywords: service.keywords,
      group: service.group,
    })),
  );
});
