/** The service types the supervisor's filters offer, and their labels. */
import type { Schemas } from '../../api/client';
import { label } from '../../i18n';
import { serviceTypeText, st } from './messages';

export type ServiceType = Schemas['ServiceType'];
export const serviceTypes: readonly ServiceType[] = ['cleaning', 'greening', 'municipal'];

export function typeLabel(type: string): string {
  const text = serviceTypeText[type];
  return text === undefined ? type : label(text);
}

/** 作业类别 with 全部类别 first (value ''), as every supervision filter offers it. */
export function ServiceTypeSelect({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <label>
      {st('serviceType')}
      <select value={value} onChange={(event) => onChange((event.target as HTMLSelectElement).value)}>
        <option value="">{st('allServiceTypes')}</option>
        {serviceTypes.map((type) => (
          <option key={type} value={type}>
            {typeLabel(type)}
          </option>
        ))}
      </select>
    </label>
  );
}
