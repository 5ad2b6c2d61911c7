<?php

namespace WhmcsHost;

use WHMCS\Database\Capsule;

/** Addon lifecycle pieces shared by index.php and bin/install.php (§5.5 of shared/whmcs.md). */
final class Addons
{
    public static function isActive(string $module, array $config): bool
    {
        return preg_match('/^[a-z][a-z0-9_]*$/', $module) === 1
            && in_array($module, array_map('trim', explode(',', $config['ActiveAddonModules'] ?? '')), true);
    }

    public static function dir(string $module): string
    {
        return ROOTDIR . '/modules/addons/' . $module;
    }

    public static function load(string $module): void
    {
        require_once self::dir($module) . '/' . $module . '.php';
    }

    /** @return array<string, string> */
    public static function settings(string $module): array
    {
        $settings = [];
        foreach (Capsule::table('tbladdonmodules')->where('module', $module)->get(['setting', 'value']) as $row) {
            $settings[(string) $row->setting] = (string) $row->value;
        }
        return $settings;
    }

    public static function saveSetting(string $module, string $setting, string $value): void
    {
        $existing = Capsule::table('tbladdonmodules')->where('module', $module)->where('setting', $setting)->first();
        if ($existing === null) {
            Database::insertWithNextId('tbladdonmodules', ['module' => $module, 'setting' => $setting, 'value' => $value]);
        } elseif ((string) $existing->value !== $value) {
            Capsule::table('tbladdonmodules')->where('id', $existing->id)->update(['value' => $value]);
        }
    }

    /** Run _upgrade when _config's version differs from the stored one, then store the new version. */
    public static function upgradeIfNeeded(string $module): void
    {
        $config = ($module . '_config')();
        $stored = self::settings($module)['version'] ?? '';
        $current = (string) ($config['version'] ?? '');
        if ($current !== '' && $stored !== $current) {
            if (function_exists($module . '_upgrade')) {
                ($module . '_upgrade')(['version' => $stored]);
            }
            self::saveSetting($module, 'version', $current);
        }
    }

    public static function lang(string $module, string $language): array
    {
        $_ADDONLANG = [];
        foreach ([$language, 'english'] as $candidate) {
            $file = self::dir($module) . '/lang/' . $candidate . '.php';
            if (preg_match('/^[a-z]+$/', $candidate) && is_file($file)) {
                include $file;
                break;
            }
        }
        return $_ADDONLANG;
    }

    /** templatefile relative to the module dir, else to its templates/ folder. */
    public static function resolveTemplate(string $module, string $templatefile): ?string
    {
        foreach ([self::dir($module) . '/' . $templatefile . '.tpl', self::dir($module) . '/templates/' . $templatefile . '.tpl'] as $file) {
            $real = realpath($file);
            if ($real !== false && strpos($templatefile, '..') === false) {
                return $real;
            }
        }
        return null;
    }
}
