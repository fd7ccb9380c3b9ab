/** 简体中文 (the default). Keys are grouped by screen; en.ts has the same keys (its type is this object's). */
const zhCN = {
  app: {
    name: '瓯流',
    title: '温州市创新平台认定管理系统',
    language: 'English',
    signIn: '登录',
    signOut: '退出',
    home: '首页',
    loading: '加载中……',
    notFound: '页面不存在',
    back: '返回',
    save: '保存',
    cancel: '取消',
    submit: '提交',
    confirm: '确定',
    search: '查询',
    actions: '操作',
    none: '暂无数据',
    saved: '已保存',
    done: '已完成',
  },
  roles: {
    applicant: '申报单位',
    county_officer: '县级管理员',
    bureau_officer: '市科技局经办人',
    expert: '评审专家',
    leader: '局领导',
    admin: '系统管理员',
  },
  nav: {
    notices: '公示公告',
    register: '单位注册',
  },
  login: {
    title: '登录瓯流',
    email: '邮箱',
    password: '密码',
    forgot: '忘记密码？',
    noAccount: '还没有账号？注册申报单位',
    required: '请输入邮箱和密码',
  },
  notices: {
    title: '公示公告',
    intro: '以下名单正在公示。对公示对象有异议的，可在公示期内实名提出。',
    period: '公示期',
    candidates: '公示对象',
    empty: '当前没有正在公示的名单',
  },
};

export default zhCN;
export type Messages = typeof zhCN;
