/** The expert screens' messages: Simplified Chinese first, English with the same keys. Used as t('expert.<key>'). */
const zh = {
  title: '专家评审',
};

const en: typeof zh = {
  title: 'Expert review',
};

export default { zh, en };
