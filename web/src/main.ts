import './styles.css';
import {
  LiveSocket,
  ProblemError,
  WebStorageTokenStore,
  createBookingClient,
  ok,
} from '../../clients/typescript/src/index.js';
import type { Schemas } from '../../clients/typescript/src/index.js';
import type { AppContext, Screen } from './context.js';
import { h, problemMessage, replaceChildren } from './dom.js';
import { screen as appointments } from './screens/appointments.js';
import { screen as bookings } from './screens/bookings.js';
import { screen as events } from './screens/events.js';
import { screen as inbox } from './screens/inbox.js';
import { screen as restaurants } from './screens/restaurants.js';
import { screen as seatMap } from './screens/seat-map.js';
import { screen as signin } from './screens/signin.js';

/** Routes in order; `:name` segments become params. Every route but #/signin needs a session. */
const routes: { readonly pattern: string; readonly screen: Screen; readonly title: string }[] = [
  { pattern: '#/signin', screen: signin, title: 'Sign in' },
  { pattern: '#/events', screen: events, title: 'Events' },
  { pattern: '#/events/:eventId', screen: seatMap, title: 'Seat map' },
  { pattern: '#/appointments', screen: appointments, title: 'Appointments' },
  { pattern: '#/restaurants', screen: restaurants, title: 'Restaurants' },
  { pattern: '#/restaurants/:restaurantId', screen: restaurants, title: 'Restaurant' },
  { pattern: '#/bookings', screen: bookings, title: 'My bookings' },
  { pattern: '#/inbox', screen: inbox, title: 'Inbox' },
];
const HOME = '#/events';

const nav: { readonly hash: string; readonly label: string }[] = [
  { hash: '#/events', label: 'Events' },
  { hash: '#/appointments', label: 'Appointments' },
  { hash: '#/restaurants', label: 'Restaurants' },
  { hash: '#/bookings', label: 'My bookings' },
];

function match(hash: string): { screen: Screen; title: string; params: Record<string, string> } | undefined {
  const parts = hash.split('?')[0]!.split('/');
  for (const route of routes) {
    const pattern = route.pattern.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((segment, i) => {
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeSegment(parts[i]!);
        return parts[i] !== '';
      }
      return segment === parts[i];
    });
    if (fits) return { screen: route.screen, title: route.title, params };
  }
  return undefined;
}

/** A hash typed or pasted with a stray `%` is taken as it is rather than throwing (a blank page). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const statusLine = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
const alertLine = h('p', { class: 'status status-error', role: 'alert' });
const main = h('main', { id: 'main', tabindex: '-1' });
const unreadBadge = h('span', { class: 'badge', hidden: true });
const inboxLink = h('a', { href: '#/inbox', 'data-nav': '#/inbox' }, 'Inbox ', unreadBadge);
const whoAmI = h('span', { class: 'who' });
const signOutButton = h('button', { type: 'button', class: 'link-button', onClick: () => void signOut() }, 'Sign out');
const header = h(
  'header',
  { class: 'app-header' },
  h('a', { class: 'skip-link', href: '#main', onClick: skipToMain }, 'Skip to content'),
  h('a', { class: 'brand', href: HOME }, 'Box office'),
  h(
    'nav',
    { 'aria-label': 'Main' },
    h(
      'ul',
      {},
      ...nav.map((item) => h('li', {}, h('a', { href: item.hash, 'data-nav': item.hash }, item.label))),
      h('li', {}, inboxLink),
    ),
  ),
  h('div', { class: 'account' }, whoAmI, signOutButton),
);

let user: Schemas['UserView'] | undefined;
let live: LiveSocket | undefined;
let offsetMs = 0;
let cleanup: (() => void) | undefined;
let stopLiveListener: (() => void) | undefined;

/** The localStorage key of the session: shared by the origin's tabs, which follow each other through `storage`. */
const SESSION_KEY = 'booking-service.session';

const client = createBookingClient({
  baseUrl: location.origin,
  tokens: new WebStorageTokenStore(localStorage, SESSION_KEY),
  onSessionEnded: () => endSession('Your session has ended. Please sign in again.'),
});

const ctx: AppContext = {
  client,
  user: () => user,
  live: () => live,
  navigate: (hash) => {
    if (location.hash === hash) render();
    else location.hash = hash;
  },
  announce,
  serverOffsetMs: () => offsetMs,
};

let announcing: ReturnType<typeof setTimeout> | undefined;

function announce(message: string, kind: 'info' | 'error' = 'info'): void {
  // Emptied first so that the same message said twice is announced twice (a timer, not an animation frame: those
  // wait while the tab is hidden). Only the latest message is shown: an earlier one still waiting is dropped.
  const [target, other] = kind === 'error' ? [alertLine, statusLine] : [statusLine, alertLine];
  other.textContent = '';
  target.textContent = '';
  clearTimeout(announcing);
  announcing = setTimeout(() => (target.textContent = message), 50);
}

function skipToMain(event: Event): void {
  event.preventDefault();
  main.focus();
}

/** Opens the user's socket: user events (inbox count) and the seat channels the seat map follows. */
function startLive(): void {
  live?.close();
  stopLiveListener?.();
  live = new LiveSocket(location.origin, {
    accessToken: () => client.tokens.load()?.accessToken,
    refresh: () => client.refresh(),
  });
  stopLiveListener = live.listen((message) => {
    if (message.type === 'welcome') offsetMs = Date.parse(message.serverTime as string) - Date.now();
    else if (message.type.endsWith('.reminder') || message.type.startsWith('notification')) void refreshUnread();
  });
  live.connect();
}

/** The unread count in the header: every inbox page carries the count of the whole inbox. */
async function refreshUnread(): Promise<void> {
  if (!user) return;
  try {
    const page = ok(await client.api.GET('/v1/notifications', { params: { query: { unread: true, limit: 1 } } }));
    const count = page.unreadCount;
    unreadBadge.hidden = count === 0;
    unreadBadge.textContent = String(count);
    inboxLink.setAttribute('aria-label', count === 0 ? 'Inbox' : `Inbox, ${count} unread`);
  } catch {
    // The count is a convenience: the inbox screen says what went wrong when opened.
  }
}

/** With stored tokens (after a reload, or once the sign-in screen stored them): who is signed in, and their socket. */
async function loadUser(): Promise<boolean> {
  if (!client.signedIn()) return false;
  try {
    user = ok(await client.api.GET('/v1/auth/me'));
  } catch (error) {
    if (error instanceof ProblemError && error.status === 404) {
      client.tokens.save(null);
      return false;
    }
    // A refused refresh has already cleared the tokens (and ended the session); tokens still here mean the refresh
    // got no answer: they are kept for the next try, as the client promises.
    if (error instanceof ProblemError && error.status === 401 && !client.signedIn()) return false;
    if (error instanceof ProblemError && error.status === 401)
      throw new Error('Your session could not be renewed: the service cannot be reached. Try again.', { cause: error });
    throw error;
  }
  whoAmI.textContent = `${user.name} (${user.role})`;
  startLive();
  void refreshUnread();
  return true;
}

async function signOut(): Promise<void> {
  await client.logout();
  endSession('You are signed out.');
}

function endSession(message: string): void {
  user = undefined;
  live?.close();
  live = undefined;
  stopLiveListener?.();
  announce(message);
  ctx.navigate('#/signin');
}

let rendering = Promise.resolve();
let routed = false;

function render(): void {
  rendering = rendering.then(renderNow, renderNow);
}

async function renderNow(): Promise<void> {
  cleanup?.();
  cleanup = undefined;
  if (client.signedIn() && !user) {
    try {
      await loadUser();
    } catch (error) {
      announce(problemMessage(error), 'error');
    }
  }
  const route = match(location.hash);
  if (!user && route?.screen !== signin) return void (location.hash = '#/signin');
  if (!route || (user && route.screen === signin)) return void (location.hash = HOME);

  header.hidden = !user;
  document.title = `${route.title} · Box office`;
  for (const link of header.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    const current = location.hash === link.dataset.nav || location.hash.startsWith(`${link.dataset.nav}/`);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  replaceChildren(main);
  cleanup = route.screen(main, ctx, route.params);
  // After a route change, screen readers start reading the new screen and keyboard users continue from its top; a
  // page load leaves focus at the start of the page (the skip link comes first).
  // A screen that renders its heading only after a load (a restaurant) has none yet: focus goes to <main> then.
  const heading = main.querySelector<HTMLElement>('h1');
  heading?.setAttribute('tabindex', '-1');
  if (routed) (heading ?? main).focus();
  routed = true;
  void refreshUnread();
}

/**
 * Another tab of this origin changed the session (the key is shared): signed out there, signed out here; signed in
 * there (as anyone), this tab loads that user. A refresh there (a new pair, same user) changes nothing here.
 */
window.addEventListener('storage', (event) => {
  if (event.key !== SESSION_KEY && event.key !== null) return;
  if (!client.signedIn()) {
    if (user) endSession('You signed out in another tab.');
    return;
  }
  if (!user) return render();
  void (async () => {
    const seen = user?.id;
    const now = await client.api.GET('/v1/auth/me').catch(() => undefined);
    if (!now?.data || now.data.id === seen || !user) return;
    user = undefined;
    announce(`Signed in as ${now.data.name} in another tab.`);
    render();
  })();
});

// The inbox screen tells the header when it marked notifications read.
document.addEventListener('inbox:changed', () => void refreshUnread());
window.addEventListener('hashchange', render);

replaceChildren(document.body, header, h('div', { class: 'statuses' }, statusLine, alertLine), main);
render();
