/** A photo POSTed straight to S3 with the presigned form the API issued. */
export interface PresignedForm {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Every field of the form as given, then the photo as `file`, last (S3's rule). */
export function postToS3(form: PresignedForm, blob: Blob, name: string): Promise<Response> {
  const body = new FormData();
  for (const [field, value] of Object.entries(form.fields)) body.append(field, value);
  body.append('file', blob, name);
  return fetch(form.url, { method: 'POST', body });
}
