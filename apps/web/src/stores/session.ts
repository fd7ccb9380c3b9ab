import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { type Schemas, api, bindSession, call } from '../api';

type Me = Schemas['MeDto'];
export type Role = Me['role'];

const STORAGE_KEY = 'ouflow.session';

interface Stored {
  accessToken: string;
  refreshToken: string;
}

/** The signed-in user and their tokens, kept for the tab's life (sessionStorage), refreshed on a 401. */
export const useSession = defineStore('session', () => {
  const tokens = ref<Stored | null>(readStored());
  const me = ref<Me | null>(null);
  let refreshing: Promise<boolean> | null = null;
  let whenEnded: () => void = () => undefined;

  const signedIn = computed(() => tokens.value !== null);
  const role = computed<Role | null>(() => me.value?.role ?? null);

  function store(value: Stored | null): void {
    tokens.value = value;
    if (value) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(STORAGE_KEY);
  }

  async function refresh(): Promise<boolean> {
    const current = tokens.value;
    if (!current) return false;
    refreshing ??= (async () => {
      const { data, response } = await api.POST('/auth/refresh', { body: { refreshToken: current.refreshToken } });
      if (!response.ok || !data) {
        // The session ended (signed out elsewhere, idle too long, revoked): the reader signs in again.
        store(null);
        me.value = null;
        whenEnded();
        return false;
      }
      store({ accessToken: data.accessToken, refreshToken: data.refreshToken });
      return true;
    })().finally(() => (refreshing = null));
    return refreshing;
  }

  bindSession(() => tokens.value?.accessToken, refresh);

  async function login(email: string, password: string): Promise<Me> {
    const result = await call(() => api.POST('/auth/login', { body: { email, password } }));
    store({ accessToken: result.accessToken, refreshToken: result.refreshToken });
    me.value = result.user;
    return result.user;
  }

  /** Loads the user behind stored tokens (after a reload); false when the session has ended. */
  async function load(): Promise<boolean> {
    if (!tokens.value) return false;
    if (me.value) return true;
    try {
      me.value = await call(() => api.GET('/me'));
      return true;
    } catch {
      store(null);
      return false;
    }
  }

  async function logout(): Promise<void> {
    const current = tokens.value;
    if (current) await api.POST('/auth/logout').catch(() => undefined);
    store(null);
    me.value = null;
  }

  /** What to do when a session ends under the reader (main.ts: open the sign-in screen, coming back here after). */
  function onEnded(callback: () => void): void {
    whenEnded = callback;
  }

  return { tokens, me, role, signedIn, login, load, logout, refresh, onEnded };
});

function readStored(): Stored | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && 'accessToken' in value && 'refreshToken' in value) {
      const { accessToken, refreshToken } = value;
      if (typeof accessToken === 'string' && typeof refreshToken === 'string') return { accessToken, refreshToken };
    }
  } catch {
    // A damaged entry is a signed-out tab.
  }
  return null;
}
