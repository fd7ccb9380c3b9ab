import type { Messages } from './zh-CN';

const en: Messages = {
  app: {
    name: 'Ouflow',
    title: 'Wenzhou innovation platform recognition',
    language: '简体中文',
    signIn: 'Sign in',
    signOut: 'Sign out',
    home: 'Home',
    loading: 'Loading…',
    notFound: 'Page not found',
    back: 'Back',
    save: 'Save',
    cancel: 'Cancel',
    submit: 'Submit',
    confirm: 'OK',
    search: 'Search',
    actions: 'Actions',
    none: 'Nothing here',
    saved: 'Saved',
    done: 'Done',
  },
  roles: {
    applicant: 'Applicant',
    county_officer: 'County officer',
    bureau_officer: 'Bureau officer',
    expert: 'Expert',
    leader: 'Leader',
    admin: 'Administrator',
  },
  nav: {
    notices: 'Public notices',
    register: 'Register',
  },
  login: {
    title: 'Sign in to Ouflow',
    email: 'Email',
    password: 'Password',
    forgot: 'Forgot your password?',
    noAccount: 'No account yet? Register your organisation',
    required: 'Enter your email and password',
  },
  notices: {
    title: 'Public notices',
    intro: 'These lists are on public notice. Objections to a candidate may be lodged, with your real name, until the notice closes.',
    period: 'Notice period',
    candidates: 'Candidates',
    empty: 'No list is on notice now',
  },
};

export default en;
