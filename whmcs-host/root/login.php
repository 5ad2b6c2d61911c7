<?php
/** WHMCS 8 login: a user's email + password (tblusers, bcrypt), then one of their client accounts. */

require __DIR__ . '/init.php';

use WhmcsHost\ClientArea;
use WhmcsHost\Login;

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
    // Optional client_id: which of the user's accounts to open (WHMCS shows a chooser instead).
    $wanted = isset($_POST['client_id']) && ctype_digit((string) $_POST['client_id']) ? (int) $_POST['client_id'] : null;
    $userId = Login::verify($email, $password);
    $clientId = $userId === null ? null : Login::clientFor($userId, $wanted);
    if ($userId !== null && $clientId !== null) {
        Login::start($userId, $clientId);
        header('Location: ' . $returnUrl);
        exit;
    }
    $error = 'Login details incorrect. Please try again.';
}

ClientArea::output(ROOTDIR . '/templates/standin/login.tpl', ClientArea::standardVars('Login', [
    'returnurl' => $returnUrl,
    'incorrect' => $error,
]));
