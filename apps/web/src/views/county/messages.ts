/** The county screens' messages: Simplified Chinese first, English with the same keys. Used as t('county.<key>'). */
const zh = {
  title: '县级审核',
  worklist: '待办申报书',
  worklistIntro: '本区县待您初审推荐的申报书，按本环节截止日期排序。',
  all: '本区县全部申报书',
  awaiting: '仅看待我办理',
  name: '名称',
  number: '编号',
  platformType: '类型',
  stage: '环节',
  deadline: '截止日期',
  daysLeft: '剩余工作日',
  open: '办理',
  empty: '暂无待办申报书',
  search: '名称或编号',
  back: '返回待办列表',
  overdue: '已超期',
};

const en: typeof zh = {
  title: 'County review',
  worklist: 'Worklist',
  worklistIntro: "Your county's dossiers awaiting your review, by stage deadline.",
  all: "All of the county's dossiers",
  awaiting: 'Awaiting me only',
  name: 'Name',
  number: 'Number',
  platformType: 'Type',
  stage: 'Stage',
  deadline: 'Deadline',
  daysLeft: 'Working days left',
  open: 'Open',
  empty: 'Nothing awaits you',
  search: 'Name or number',
  back: 'Back to the worklist',
  overdue: 'Overdue',
};

export default { zh, en };
