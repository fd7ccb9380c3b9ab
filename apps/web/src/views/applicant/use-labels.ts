import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Schemas } from '../../api';
import { loadIndustries, loadPlatformTypes } from '../../api/dictionaries';

type PlatformTypeDto = Schemas['PlatformTypeDto'];
type IndustryDto = Schemas['IndustryDto'];

// The dictionaries are public and rarely change: loaded once per page.
const platformTypes = ref<PlatformTypeDto[]>([]);
const industries = ref<IndustryDto[]>([]);
let loading: Promise<void> | null = null;

/** Names of platform types, subtypes, industries, stages and levels in the user's language. */
export function useLabels() {
  const { t, te, locale } = useI18n();
  loading ??= Promise.all([loadPlatformTypes(), loadIndustries()])
    .then(([types, codes]) => {
      platformTypes.value = types;
      industries.value = codes;
    })
    .catch(() => {
      loading = null;
    });

  const english = (): boolean => locale.value === 'en';
  const named = (item: { nameZh: string; nameEn: string } | undefined, code: string): string =>
    item ? (english() ? item.nameEn : item.nameZh) : code;
  const keyed = (prefix: string, code: string): string => (te(`applicant.${prefix}.${code}`) ? t(`applicant.${prefix}.${code}`) : code);

  return {
    ready: (): Promise<void> => loading ?? Promise.resolve(),
    platformTypes,
    industries,
    named,
    typeName: (code: string): string =>
      named(
        platformTypes.value.find((type) => type.code === code),
        code,
      ),
    subtypeName: (type: string, code: string | null): string =>
      code
        ? named(
            platformTypes.value.find((item) => item.code === type)?.subtypes.find((subtype) => subtype.code === code),
            code,
          )
        : '—',
    industryName: (code: string): string =>
      named(
        industries.value.find((industry) => industry.code === code),
        code,
      ),
    stageName: (code: string | null): string => (code ? (te(`stages.${code}`) ? t(`stages.${code}`) : code) : '—'),
    levelName: (code: string): string => keyed('levels', code),
    /** A rule's or a document's own bilingual text. */
    text: (zh: string, en: string): string => (english() ? en : zh),
  };
}
