import type { Stage } from './workflow.types';

/** How each stage is called in mails, pages and the timeline. */
export const STAGE_LABELS: Record<Stage, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'draft' },
  county_review: { zh: '属地初审推荐', en: 'county review' },
  formal_review: { zh: '形式审查', en: 'formal review' },
  expert_review: { zh: '专家评审', en: 'expert review' },
  site_inspection: { zh: '现场考察', en: 'site inspection' },
  decision: { zh: '局务会研究', en: 'decision' },
  approved: { zh: '拟认定（待公示）', en: 'approved, awaiting public notice' },
  public_notice: { zh: '公示', en: 'public notice' },
  notice_closed: { zh: '公示结束（待发文）', en: 'notice closed, awaiting recognition' },
  recommended_to_province: { zh: '已推荐至省厅', en: 'recommended to the province' },
  revision: { zh: '退回补正', en: 'returned for revision' },
  recognised: { zh: '已认定', en: 'recognised' },
  rejected: { zh: '未通过', en: 'not approved' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};
