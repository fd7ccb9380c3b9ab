import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Schemas } from '../../../api';
import { loadIndustries, loadRegions } from '../../../api/dictionaries';

/** Counties, zones and industries by code, read once per screen, named in the user's language. */
export function useLookups() {
  const { locale } = useI18n();
  const regions = ref<Schemas['RegionDto'][]>([]);
  const industries = ref<Schemas['IndustryDto'][]>([]);

  async function loadLookups(): Promise<void> {
    [regions.value, industries.value] = await Promise.all([loadRegions(), loadIndustries()]);
  }

  function regionName(code: string | null | undefined): string {
    const region = regions.value.find((r) => r.code === code);
    if (!region) return code ?? '—';
    return locale.value === 'en' ? region.nameEn : region.nameZh;
  }

  function industryName(code: string): string {
    const industry = industries.value.find((i) => i.code === code);
    if (!industry) return code;
    return locale.value === 'en' ? industry.nameEn : industry.nameZh;
  }

  return { regions, industries, loadLookups, regionName, industryName };
}

/** Today in Beijing, YYYY-MM-DD. */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}
