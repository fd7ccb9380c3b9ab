import 'element-plus/dist/index.css';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import { useSession } from './stores/session';

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
app.use(router);
useSession().onEnded(() => {
  const here = router.currentRoute.value;
  if (here.name !== 'login') void router.push({ name: 'login', query: { next: here.fullPath } });
});
app.use(ElementPlus);
app.mount('#app');
