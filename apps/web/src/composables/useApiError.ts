import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';
import { ApiError, localMessage } from '../api';

/** The API's message in the user's language, for an error thrown by `call`/`send` (or anything else). */
export function useApiError() {
  const { locale } = useI18n();
  function messageOf(error: unknown): string {
    if (error instanceof ApiError) return localMessage(error.apiMessage, locale.value);
    return locale.value === 'en' ? 'Something went wrong; please try again.' : '操作未成功，请重试。';
  }
  /** Shows the error as a notice; returns its message (for a field-level hint). */
  function notify(error: unknown): string {
    const message = messageOf(error);
    ElMessage({ type: 'error', message, showClose: true, duration: 6_000 });
    return message;
  }
  /** The field the API names as at fault (details.field or details.property), if any. */
  function fieldOf(error: unknown): string | null {
    if (!(error instanceof ApiError)) return null;
    const field = error.details.field ?? error.details.property ?? error.details.parameter;
    return typeof field === 'string' ? field : null;
  }
  return { messageOf, notify, fieldOf };
}
