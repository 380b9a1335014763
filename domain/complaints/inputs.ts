import * as z from 'zod';
import { apiInstant } from '../dates';

/**
 * Open311 GeoReport v2 inputs (wiki.open311.org/GeoReport_v2), snake_case as the spec names
 * them. "Optional" in the spec means an empty value is the same as no value, so every
 * optional field treats '' as absent. Fields we do not keep (api_key, device_id, account_id,
 * attribute[...]) are accepted and dropped.
 */

const blankToUndefined = (value: unknown): unknown => (value === '' || value === null ? undefined : value);

function optionalText(max: number, label: string): z.ZodType<string | undefined> {
  return z.preprocess(blankToUndefined, z.string().trim().max(max, `${label} is at most ${max} characters`).optional()) as z.ZodType<string | undefined>;
}

function coordinate(min: number, max: number, label: string): z.ZodType<number | undefined> {
  return z.preprocess(
    (value) => {
      const blank = blankToUndefined(value);
      return typeof blank === 'string' ? Number(blank) : blank;
    },
    z.number({ error: `${label} must be a number` }).min(min, `${label} is at least ${min}`).max(max, `${label} is at most ${max}`).optional(),
  ) as z.ZodType<number | undefined>;
}

export const JurisdictionId = z.preprocess(
  blankToUndefined,
  z.string({ error: 'jurisdiction_id was not provided' }).trim().min(1).max(64),
);

export const JurisdictionQuery = z.object({ jurisdiction_id: JurisdictionId });

/** POST requests.json (spec "POST Service Request"). */
export const SubmitRequestInput = z
  .object({
    jurisdiction_id: JurisdictionId,
    service_code: z.preprocess(blankToUndefined, z.string({ error: 'service_code was not provided' }).trim().min(1).max(32)),
    lat: coordinate(-90, 90, 'lat'),
    long: coordinate(-180, 180, 'long'),
    address_string: optionalText(500, 'address_string'),
    address_id: optionalText(100, 'address_id'),
    description: optionalText(4_000, 'description'),
    media_url: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'media_url must be an http(s) URL' }).max(2_000).optional()),
    email: optionalText(254, 'email'),
    first_name: optionalText(100, 'first_name'),
    last_name: optionalText(100, 'last_name'),
    phone: optionalText(40, 'phone'),
  })
  .superRefine((input, ctx) => {
    if ((input.lat === undefined) !== (input.long === undefined)) {
      ctx.addIssue({ code: 'custom', path: [input.lat === undefined ? 'lat' : 'long'], message: 'lat and long must both be sent' });
    } else if (input.lat === undefined && input.address_string === undefined && input.address_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['lat'], message: 'a location is required: lat & long, address_string or address_id' });
    }
  })
  .meta({ id: 'Open311ServiceRequestInput', description: 'GeoReport v2 POST Service Request (form-encoded or JSON)' });
export type SubmitRequestInput = z.input<typeof SubmitRequestInput>;

const commaList = <T extends z.ZodType>(item: T): z.ZodType<z.output<T>[] | undefined> =>
  z.preprocess(
    (value) => {
      const blank = blankToUndefined(value);
      return typeof blank === 'string' ? blank.split(',').map((part) => part.trim()).filter((part) => part !== '') : blank;
    },
    z.array(item).max(100).optional(),
  ) as z.ZodType<z.output<T>[] | undefined>;

const w3 = z.preprocess(blankToUndefined, apiInstant('a w3 datetime with a zone, e.g. 2010-01-01T00:00:00Z').optional());

/** GET requests.json (spec "GET Service Requests"). */
export const ListRequestsQuery = z
  .object({
    jurisdiction_id: JurisdictionId,
    service_request_id: commaList(z.string().min(1).max(64)),
    service_code: commaList(z.string().min(1).max(32)),
    start_date: w3,
    end_date: w3,
    status: commaList(z.enum(['open', 'closed'])),
  })
  .meta({ id: 'Open311ServiceRequestsQuery' });
export type ListRequestsQuery = z.input<typeof ListRequestsQuery>;

/** POST requests/{id}/reopen.json: our extension, with the token from the creation answer. */
export const ReopenRequestInput = z
  .object({
    jurisdiction_id: JurisdictionId,
    reopen_token: z.preprocess(blankToUndefined, z.string({ error: 'reopen_token was not provided' }).min(1).max(200)),
    description: optionalText(4_000, 'description'),
  })
  .meta({ id: 'Open311ReopenInput' });
export type ReopenRequestInput = z.input<typeof ReopenRequestInput>;

/** The inspector's verdict (DESIGN §3: "A complaint verified as valid costs the rulebook's complaint points"). */
export const VerifyComplaintInput = z
  .strictObject({
    valid: z.boolean(),
    reason: z.string().trim().min(1, 'say why (internal: kept with the verdict, never shown to the citizen)').max(1_000),
    publicNote: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .describe("what the citizen reads as Open311 status_notes, in Chinese; default a note per outcome (domain/complaints/complaint.ts publicNotes)"),
  })
  .meta({ id: 'VerifyComplaint' });
export type VerifyComplaintInput = z.input<typeof VerifyComplaintInput>;

export const AssignComplaintInput = z
  .strictObject({ segmentId: z.string().regex(/^seg_[0-9a-z]{10,40}$/, 'not a segment id') })
  .meta({ id: 'AssignComplaint' });
export type AssignComplaintInput = z.input<typeof AssignComplaintInput>;
