<?php
/**
 * Router for `php -S 127.0.0.1:8080 -t whmcs-host/root whmcs-host/router.php`: serves the addon's
 * static assets, hides everything else under modules/ (a real web server config would too).
 */

$path = (string) parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$root = __DIR__ . '/root';

if ($path === '/' || $path === '') {
    require $root . '/index.php';
    return true;
}
if (preg_match('#^/modules/addons/[a-z0-9_]+/templates/assets/.+\.(css|js|svg|png|woff2?)$#', $path) && strpos($path, '..') === false) {
    return false; // the built-in server sends the file
}
// The host theme's CSS (npm, whmcs-host/package.json; scripts/setup.sh installs it).
if ($path === '/templates/standin/vendor/bootstrap.min.css') {
    $file = __DIR__ . '/node_modules/bootstrap/dist/css/bootstrap.min.css';
    if (!is_file($file)) {
        http_response_code(404);
        echo 'Bootstrap is not installed: run scripts/setup.sh (npm ci in whmcs-host/)';
        return true;
    }
    header('Content-Type: text/css; charset=utf-8');
    header('Cache-Control: max-age=3600');
    readfile($file);
    return true;
}
if (in_array($path, ['/index.php', '/login.php', '/logout.php', '/dologin-test.php'], true)) {
    require $root . $path;
    return true;
}
http_response_code(404);
echo 'Not found';
return true;
