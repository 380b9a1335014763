import { describe, expect, it } from 'vitest';
import { catalogueFor, defaultCatalogue, serviceFor } from '../../../../domain/complaints/catalogue';
import { defectItem } from '../../../../domain/rulebooks/rules';
import { rulebookFromTemplate, templateById } from '../../../../domain/rulebooks/templates';

const templateOf = { cleaning: 'cleaning-standard', greening: 'greening-class1', municipal: 'municipal-roads' } as const;

describe('the default complaint catalogue', () => {
  it('has unique service codes', () => {
    // Act
    const codes = defaultCatalogue.map((service) => service.code);

    // Assess
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(defaultCatalogue.map((service) => [service.code, service] as const))('%s names an item of its service type\'s shipped rulebook', (_code, service) => {
    // Prepare
    const rulebook = rulebookFromTemplate(templateById(templateOf[service.serviceType])!);

    // Act
    const item = service.defectCode === undefined ? undefined : defectItem(rulebook, service.defectCode);

    // Assess
    expect(item?.code).toBe(service.defectCode);
  });

  it('gives each service a positive whole-hour deadline of at least 2 h', () => {
    // Assess
    expect(defaultCatalogue.every((service) => Number.isInteger(service.deadlineHours) && service.deadlineHours >= 2)).toBe(true);
  });

  it('maps litter to cleaning in 24 h and a damaged manhole cover to municipal in 2 h', () => {
    // Act + Assess
    expect(serviceFor('jingan', 'CL-LITTER')).toMatchObject({ serviceType: 'cleaning', deadlineHours: 24 });
    expect(serviceFor('jingan', 'MU-COVER')).toMatchObject({ serviceType: 'municipal', deadlineHours: 2 });
    expect(serviceFor('jingan', 'NOPE')).toBeUndefined();
  });

  it('covers every service type, for every tenant', () => {
    // Assess
    expect(new Set(catalogueFor('any-tenant').map((service) => service.serviceType))).toEqual(new Set(['cleaning', 'greening', 'municipal']));
  });
});
