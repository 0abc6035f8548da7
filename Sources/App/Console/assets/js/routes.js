// Every page of the console, in navigation order. To add a page: write pages/<name>.js exporting
// default {title(ctx), render(container, ctx)}, add its route here, its labels in i18n/zh.js and
// i18n/en.js. A feature still being built has `coming` set: its page says so and shows no data.
// `requires` names a permission of core/permissions.js: users without it see neither the entry nor the page.
const page = (name) => () => import(`./pages/${name}.js`);

export const routes = [
  { path: '/login', load: page('login'), auth: false, bare: true },
  { path: '/dashboard', nav: 'nav.dashboard', icon: '◧', load: page('dashboard') },
  { path: '/directory', requires: 'readDirectory', nav: 'nav.directory', icon: '☰', load: page('directory') },
  { path: '/directory/camera/:key', requires: 'readDirectory', section: '/directory', load: page('camera') },
  { path: '/directory/camera/:key/edit', requires: 'readDirectory', section: '/directory', load: page('camera-edit') },
  { path: '/directory/new', requires: 'readDirectory', section: '/directory', load: page('camera-edit') },
  { path: '/directory/import', requires: 'readDirectory', section: '/directory', load: page('import') },
  { path: '/directory/report', requires: 'readDirectory', section: '/directory', load: page('report') },
  { path: '/directory/duplicates', requires: 'readDirectory', section: '/directory', load: page('duplicates') },
  { path: '/map', requires: 'readDirectory', nav: 'nav.map', icon: '◎', load: page('map') },
  { path: '/live', requires: 'readDirectory', nav: 'nav.live', icon: '▶', coming: 'live', load: page('coming') },
  { path: '/devices', requires: 'readDirectory', nav: 'nav.devices', icon: '▣', coming: 'devices', load: page('coming') },
  { path: '/platforms', requires: 'readDirectory', nav: 'nav.platforms', icon: '▤', load: page('platforms') },
  { path: '/sharing', requires: 'readDirectory', nav: 'nav.sharing', icon: '⇄', coming: 'sharing', load: page('coming') },
  { path: '/audit', nav: 'nav.audit', icon: '✓', coming: 'audit', requires: 'readAudit', load: page('coming') },
  { path: '/account/password', section: '/account', load: page('password') },
];
