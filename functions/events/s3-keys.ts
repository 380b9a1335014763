/** S3 event keys are URL-encoded with '+' for a space (S3 event message structure). */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replaceAll('+', ' '));
}
