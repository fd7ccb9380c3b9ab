import { createI18n } from 'vue-i18n';
import dossier from '../components/dossier/messages';
import admin from '../views/admin/messages';
import applicant from '../views/applicant/messages';
import bureau from '../views/bureau/messages';
import county from '../views/county/messages';
import expert from '../views/expert/messages';
import leader from '../views/leader/messages';
import publicArea from '../views/public/messages';
import team from '../views/team/messages';
import en from './en';
import zhCN from './zh-CN';

/** Shared words (app, roles, nav, login) here; each area's screens keep theirs in views/<area>/messages.ts. */
const areas = { public: publicArea, applicant, county, bureau, expert, leader, admin };
const zhAreas = {
  public: areas.public.zh,
  applicant: applicant.zh,
  county: county.zh,
  bureau: bureau.zh,
  expert: expert.zh,
  leader: leader.zh,
  admin: admin.zh,
  team: team.zh,
  dossier: dossier.zh,
};
const enAreas = {
  public: areas.public.en,
  applicant: applicant.en,
  county: county.en,
  bureau: bureau.en,
  expert: expert.en,
  leader: leader.en,
  admin: admin.en,
  team: team.en,
  dossier: dossier.en,
};

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'ouflow.locale';

function initialLocale(): Locale {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

/** Simplified Chinese by default; English when chosen (kept in localStorage). Each screen adds its own keys to both files. */
export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': { ...zhCN, ...zhAreas }, en: { ...en, ...enAreas } },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
