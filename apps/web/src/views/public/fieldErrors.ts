import { ApiError } from '../../api';

/**
 * The fields an API error names, each with the message to show next to it: the validation pipe's
 * `details.fields` ([{ field, problems }]), a domain error's `details.field`, and the codes whose field
 * the form knows (`byCode`). Messages are bilingual; `local` picks the reader's language.
 */
export function fieldErrorsOf(
  error: unknown,
  local: (message: string) => string,
  byCode: Record<string, string> = {},
): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const found: Record<string, string> = {};
  const fields = error.details.fields;
  if (Array.isArray(fields)) {
    for (const entry of fields) {
      if (typeof entry !== 'object' || entry === null || !('field' in entry) || !('problems' in entry)) continue;
      const { field, problems } = entry;
      if (typeof field === 'string' && Array.isArray(problems))
        found[field] = problems
          .filter((problem): problem is string => typeof problem === 'string')
          .map(local)
          .join(' ');
    }
  }
  const named = error.details.field;
  const field = byCode[error.code] ?? (typeof named === 'string' ? named : undefined);
  if (field) found[field] = local(error.apiMessage);
  return found;
}
