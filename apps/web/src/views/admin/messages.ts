/** The admin screens' messages: Simplified Chinese first, English with the same keys. Used as t('admin.<key>'). */
const zh = {
  title: '系统管理',
};

const en: typeof zh = {
  title: 'Administration',
};

export default { zh, en };
