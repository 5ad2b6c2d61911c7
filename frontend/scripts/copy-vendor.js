// Copies Alpine's browser build into the addon (committed, so WHMCS needs no Node at runtime).
const fs = require('fs');
const path = require('path');

const src = require.resolve('alpinejs/dist/cdn.min.js');
const destDir = path.join(__dirname, '..', '..', 'whmcs', 'modules', 'addons', 'eazybackup', 'templates', 'assets', 'js', 'vendor');
fs.mkdirSync(destDir, { recursive: true });
fs.copyFileSync(src, path.join(destDir, 'alpine.min.js'));
const version = require('alpinejs/package.json').version;
fs.writeFileSync(path.join(destDir, 'alpine.version.txt'), `alpinejs ${version} (MIT) dist/cdn.min.js\n`);
