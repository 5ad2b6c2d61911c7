<?php
/** Client login (email + password against tblclients.password, bcrypt). */

require __DIR__ . '/init.php';

use WHMCS\Database\Capsule;
use WhmcsHost\ClientArea;

/** Only same-site relative return URLs are followed. */
function standin_return_url(string $url): string
{
    return preg_match('#^(index\.php|/index\.php)(\?[^\s]*)?$#', $url) ? $url : 'index.php?m=eazybackup';
}

$returnUrl = standin_return_url((string) ($_REQUEST['returnurl'] ?? ''));
$error = '';
if (($_SERVER['REQUEST_METHOD'] ?? 'GET') === 'POST') {
    check_token();
    $email = trim((string) ($_POST['username'] ?? ''));
    $password = (string) ($_POST['password'] ?? '');
    $row = Capsule::table('tblclients')->where('email', $email)->first();
    if ($row !== null && $row->status !== 'Closed' && password_verify($password, (string) $row->password)) {
        session_regenerate_id(true);
        $_SESSION['uid'] = (int) $row->id;
        unset($_SESSION['tkval']);
        header('Location: ' . $returnUrl);
        exit;
    }
    $error = 'Login details incorrect. Please try again.';
}

ClientArea::output(ROOTDIR . '/templates/standin/login.tpl', ClientArea::standardVars('Login', [
    'returnurl' => $returnUrl,
    'incorrect' => $error,
]));
