// Boots the console: language, session, frame, routes. Everything else lives in pages/.
import { setUnauthenticatedHandler } from './core/api.js';
import * as drafts from './core/drafts.js';
import { language, onLanguageChange, setLanguage, t } from './core/i18n.js';
import { can } from './core/permissions.js';
import * as reference from './core/reference.js';
import * as router from './core/router.js';
import * as session from './core/session.js';
import { renderNav, renderUserBar } from './components/frame.js';
import { routes } from './routes.js';

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const userBar = document.getElementById('user-bar');
const langSwitch = document.getElementById('lang-switch');

let leaving = false;

/** The token ended (expired or revoked): keep what the user typed, then ask them to log in again. */
function sessionEnded() {
  if (leaving || !session.user()) return;
  leaving = true;
  const current = router.current();
  if (current && current.route && current.route.auth !== false) drafts.capture(view, current.key);
  session.clear();
  reference.forget();
  router.go('/login', { expired: '1', next: current && current.route && current.route.auth !== false ? current.key : '' });
  leaving = false;
}

async function logout() {
  await session.logout();
  reference.forget();
  router.go('/login', { bye: '1' });
}

function applyStaticText() {
  document.getElementById('brand-name').textContent = t('app.title');
  document.getElementById('skip-link').textContent = t('app.skip');
  nav.setAttribute('aria-label', t('app.nav'));
  langSwitch.textContent = language() === 'en' ? '中文' : 'English';
  langSwitch.lang = language() === 'en' ? 'zh-CN' : 'en';
}

function frame(current) {
  const bare = current && current.route && current.route.bare;
  document.body.classList.toggle('bare', Boolean(bare) || !session.user());
  renderNav(nav, current);
}

setUnauthenticatedHandler(sessionEnded);
session.setExpiryHandler(sessionEnded);
session.onUserChange(() => {
  renderUserBar(userBar, { onLogout: logout });
  renderNav(nav, router.current());
});
onLanguageChange(() => {
  applyStaticText();
  renderUserBar(userBar, { onLogout: logout });
  router.render();
});
langSwitch.addEventListener('click', () => setLanguage(language() === 'en' ? 'zh' : 'en'));

router.define(routes);
applyStaticText();
session.start();
router.start(view, {
  guard(route, { path, query }) {
    if (route.auth === false) return null;
    if (session.user()) return route.requires && !can(session.user(), route.requires) ? { path: '/dashboard' } : null;
    return { path: '/login', query: { next: router.href(path, query).slice(1) } };
  },
  frame,
  afterRender(container, current) {
    if (current.route && current.route.auth !== false && drafts.restore(container, current.key)) {
      container.dispatchEvent(new CustomEvent('draft-restored', { bubbles: true }));
    }
    const heading = container.querySelector('h1');
    if (heading && document.activeElement === document.body) heading.focus({ preventScroll: true });
  },
});
