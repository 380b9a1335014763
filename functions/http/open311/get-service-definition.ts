import { NotFoundError } from '../../../domain/errors';
import { listServices } from '../../../domain/complaints/use-cases';
import { route } from '../../shared/http';
import { complaintDeps } from '../complaints/deps';
import { answer, renderOpen311Error, splitFormat, UnknownFormatError } from './format';
import { getServiceDefinitionRoute } from './routes';

/**
 * GeoReport v2 GET Service Definition. Every service of ours has `metadata: false`, so its
 * definition holds no attributes; a client that asks anyway gets the empty definition rather
 * than a 404 for a service that exists.
 */
export const getServiceDefinitionHandler = route(
  getServiceDefinitionRoute,
  async ({ params, query }) => {
    const { base: serviceCode, extension, format } = splitFormat(params.service);
    if (format === undefined) throw new UnknownFormatError(`services/${serviceCode}`, extension);
    const services = await listServices(complaintDeps(), query.jurisdiction_id);
    if (!services.some((service) => service.code === serviceCode)) throw new NotFoundError('service_code', serviceCode);
    return answer(format, { service_code: serviceCode, attributes: [] }, { root: 'service_definition' });
  },
  { renderError: renderOpen311Error },
);
