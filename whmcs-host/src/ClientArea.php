<?php

namespace WhmcsHost;

use WHMCS\View\Menu\Item;

/** Renders a client-area page: header.tpl + body template + footer.tpl, then the token output filter. */
final class ClientArea
{
    public static function systemUrl(): string
    {
        return rtrim($GLOBALS['CONFIG']['SystemURL'] ?? '/', '/') . '/';
    }

    /** Standard template variables (shared/whmcs.md §2.7), computed the way the stand-in can. */
    public static function standardVars(string $pageTitle, array $extra = []): array
    {
        $client = (new \WHMCS\Authentication\CurrentUser())->client();
        return [
            'WEB_ROOT' => '',
            'systemurl' => self::systemUrl(),
            'token' => generate_token('plain'),
            'loggedin' => $client !== null,
            'client' => $client,
            'companyname' => $GLOBALS['CONFIG']['CompanyName'] ?? 'eazyBackup',
            'charset' => 'utf-8',
            'pagetitle' => $pageTitle,
            'filename' => basename($_SERVER['SCRIPT_NAME'] ?? 'index.php', '.php'),
            'template' => 'standin',
            'language' => 'english',
            'todaysdate' => gmdate('l, jS F Y'),
            'servedOverSsl' => !empty($_SERVER['HTTPS']),
            'primaryNavbar' => self::navbar(),
            'headoutput' => '',
            'headeroutput' => '',
            'footeroutput' => '',
        ] + $extra;
    }

    /** @return list<array{label: string, uri: string}> after ClientAreaPrimaryNavbar hooks ran */
    private static function navbar(): array
    {
        $root = new Item('primary');
        $root->addChild('home', ['label' => 'Home', 'uri' => 'index.php', 'order' => 10]);
        $root->addChild('services', ['label' => 'Services', 'uri' => 'index.php', 'order' => 20]);
        run_hook('ClientAreaPrimaryNavbar', $root);
        $items = [];
        foreach ($root->getChildren() as $child) {
            $items[] = ['label' => $child->getLabel(), 'uri' => $child->getUri()];
        }
        return $items;
    }

    public static function smarty(string $policy = 'whmcs'): \Smarty
    {
        $version = SmartyFactory::version();
        return SmartyFactory::create(
            WHMCS_HOST_DIR . '/var/templates_c/smarty' . $version,
            [ROOTDIR . '/templates/standin'],
            [ROOTDIR . '/templates', realpath(ROOTDIR . '/modules') ?: ROOTDIR . '/modules', (string) realpath(ROOTDIR . '/modules/addons/eazybackup')],
            $policy,
            $version
        );
    }

    /** Render header + body + footer with the given variables and print it. */
    public static function output(string $bodyTemplate, array $vars): void
    {
        $smarty = self::smarty();
        foreach ($vars as $key => $value) {
            $smarty->assign($key, $value);
        }
        foreach (run_hook('ClientAreaHeadOutput', $vars) as $html) {
            $vars['headoutput'] .= (string) $html;
        }
        $smarty->assign('headoutput', $vars['headoutput']);
        $html = $smarty->fetch('header.tpl')
            . $smarty->fetch('file:' . $bodyTemplate)
            . $smarty->fetch('footer.tpl');
        header('Content-Type: text/html; charset=utf-8');
        echo self::injectFormTokens($html, (string) $vars['token']);
    }

    /** WHMCS adds its `token` field to POST forms at output time; so does the stand-in. */
    public static function injectFormTokens(string $html, string $token): string
    {
        $field = '<input type="hidden" name="token" value="' . htmlspecialchars($token, ENT_QUOTES) . '" />';
        return (string) preg_replace('/(<form\b[^>]*method=["\']?post["\']?[^>]*>)/i', '$1' . $field, $html);
    }
}
