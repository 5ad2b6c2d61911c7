<?php
require __DIR__ . '/init.php';

$_SESSION = [];
session_destroy();
header('Location: login.php');
