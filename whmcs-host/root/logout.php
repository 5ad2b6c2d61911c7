<?php
require __DIR__ . '/init.php';

// As WHMCS: the logout hooks run while the session still says who is leaving.
$leaving = (new \WHMCS\Authentication\CurrentUser());
$user = $leaving->user();
if ($user !== null) {
    run_hook('UserLogout', ['user' => $user]);
}
if (isset($_SESSION['uid']) && (int) $_SESSION['uid'] > 0) {
    run_hook('ClientLogout', ['userid' => (int) $_SESSION['uid']]);
}

$_SESSION = [];
session_destroy();
header('Location: login.php');
