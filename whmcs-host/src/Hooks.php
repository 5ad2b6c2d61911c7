<?php

namespace WhmcsHost;

/** add_hook/run_hook registry: priority order; callers decide how results combine. */
final class Hooks
{
    /** @var array<string, list<array{int, int, callable}>> */
    private static $hooks = [];
    /** @var int */
    private static $seq = 0;

    public static function add(string $name, int $priority, callable $fn): void
    {
        self::$hooks[$name][] = [$priority, self::$seq++, $fn];
    }

    /** @return list<mixed> each hook's return value, in priority order */
    public static function run(string $name, $arg): array
    {
        $entries = self::$hooks[$name] ?? [];
        usort($entries, static function (array $a, array $b): int {
            return [$a[0], $a[1]] <=> [$b[0], $b[1]];
        });
        $results = [];
        foreach ($entries as $entry) {
            $results[] = ($entry[2])($arg);
        }
        return $results;
    }
}
