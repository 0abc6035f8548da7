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
  { path: '/live', requires: 'readDirectory', nav: 'nav.live', icon: '▶', load: page('live') },
  { path: '/devices', requires: 'readDirectory', nav: 'nav.devices', icon: '▣', load: page('devices') },
  { path: '/devices/:code', requires: 'readDirectory', section: '/devices', load: page('device') },
  { path: '/platforms', requires: 'readDirectory', nav: 'nav.platforms', icon: '▤', load: page('platforms') },
  { path: '/uppers', requires: 'managePlatforms', nav: 'nav.uppers', icon: '⇡', load: page('uppers') },
  { path: '/sharing', requires: 'readDirectory', nav: 'nav.sharing', icon: '⇄', load: page('sharing') },
  { path: '/sharing/new', requires: 'readDirectory', section: '/sharing', load: page('share-new') },
  { path: '/sharing/requests/:id', requires: 'readDirectory', section: '/sharing', load: page('share-request') },
  { path: '/sharing/grants', requires: 'readDirectory', section: '/sharing', load: page('grants') },
  { path: '/audit', nav: 'nav.audit', icon: '✓', requires: 'readAudit', load: page('audit') },
  { path: '/users', nav: 'nav.users', icon: '☺', requires: 'manageUsers', load: page('users') },
  { path: '/account/password', section: '/account', load: page('password') },
];
