<?php

namespace WhmcsHost;

/**
 * Builds a Smarty like WHMCS does: smarty3 3.1.x by default (WHMCS 8), smarty4 when WHMCS_SMARTY=4
 * (forward check), with a permissive "system" security policy whose special variables are limited to
 * the list WHMCS documents (no $smarty.session/cookies/env/config).
 */
final class SmartyFactory
{
    public const WHMCS_SPECIAL_VARS = ['foreach', 'section', 'block', 'capture', 'now', 'get', 'post', 'server', 'request', 'template', 'const'];
    private const ALL_SPECIAL_VARS = ['foreach', 'section', 'block', 'capture', 'now', 'get', 'post', 'server', 'request', 'template', 'const',
        'session', 'cookies', 'env', 'config', 'version', 'ldelim', 'rdelim', 'current_dir', 'template_object', 'smarty'];

    public static function version(): int
    {
        return getenv('WHMCS_SMARTY') === '4' ? 4 : 3;
    }

    public static function load(int $version): void
    {
        if (class_exists('Smarty', false)) {
            return;
        }
        if ($version === 4) {
            require_once '/usr/share/php/smarty4/bootstrap.php';
            return;
        }
        require_once '/usr/share/php/smarty3/bootstrap.php';
        // Smarty 3.1.47 redeclares Exception::$line untyped, a fatal error on PHP 8.2 the moment a
        // template fails to compile. Declaring a compatible class first avoids it.
        if (!class_exists('SmartyCompilerException', false)) {
            class_exists('SmartyException');
            require_once __DIR__ . '/SmartyCompilerExceptionShim.php';
        }
    }

    /**
     * @param string $policy 'whmcs' (permissive system policy) or 'strict' (Smarty's default Smarty_Security)
     */
    public static function create(string $compileDir, array $templateDirs, array $trustedDirs, string $policy = 'whmcs', ?int $version = null): \Smarty
    {
        $version = $version ?? self::version();
        self::load($version);
        $smarty = new \Smarty();
        $smarty->setCompileDir($compileDir);
        $smarty->setTemplateDir($templateDirs);
        $smarty->setCacheDir($compileDir . '/cache');
        $smarty->caching = 0;
        $smarty->compile_check = true;
        if (!is_dir($compileDir)) {
            mkdir($compileDir, 0775, true);
        }
        $security = new \Smarty_Security($smarty);
        $security->secure_dir = $trustedDirs;
        if ($policy === 'whmcs') {
            // "The system policy does not restrict PHP": functions, modifiers and static classes allowed.
            $security->php_functions = [];
            $security->php_modifiers = [];
            $security->static_classes = [];
            $security->allow_super_globals = true;
        }
        $security->disabled_special_smarty_vars = array_values(array_diff(self::ALL_SPECIAL_VARS, self::WHMCS_SPECIAL_VARS, ['smarty', 'ldelim', 'rdelim', 'version', 'current_dir']));
        $smarty->enableSecurity($security);
        return $smarty;
    }
}
