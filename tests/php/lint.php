<?php
/** Template lint rules (shared/whmcs.md §2.6): no {php}, no $smarty.session/cookies/env, every printed variable escaped. */

/** @return list<string> */
function eb_template_files(string $dir): array
{
    $out = [];
    foreach (new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS)) as $f) {
        if (substr($f->getFilename(), -4) === '.tpl') {
            $out[] = $f->getPathname();
        }
    }
    sort($out);
    return $out;
}

/** @return list<string> problems found */
function eb_lint_template(string $source): array
{
    $problems = [];
    // Comments and {literal} blocks print nothing Smarty-evaluated.
    $source = (string) preg_replace('/\{\*.*?\*\}/s', '', $source);
    $source = (string) preg_replace('/\{literal\}.*?\{\/literal\}/s', '', $source);
    if (preg_match('/\{\/?(php|include_php|insert)\b/i', $source)) {
        $problems[] = '{php}/{include_php}/{insert} is not allowed';
    }
    if (preg_match('/\$smarty\.(session|cookies|env|config)/i', $source)) {
        $problems[] = '$smarty.session/cookies/env/config is not allowed';
    }
    // Every output tag {$...} must pass through |escape (as its last modifier chain element or anywhere).
    if (preg_match_all('/\{\$[^}]*\}/', $source, $m)) {
        foreach ($m[0] as $tag) {
            if (!preg_match('/\|escape(:[\'"]?(html|htmlall|url|javascript|quotes)[\'"]?)?\s*\}$/', $tag)) {
                $problems[] = 'unescaped output ' . $tag;
            }
        }
    }
    return $problems;
}
