/** The bureau screens' messages: Simplified Chinese first, English with the same keys. Used as t('bureau.<key>'). */
const zh = {
  title: '市局办理',
};

const en: typeof zh = {
  title: 'Bureau',
};

export default { zh, en };
