<?php

namespace WhmcsHost;

/**
 * A row as WHMCS's Eloquent models present it to addons: properties and array access, read-only,
 * never the password hash, plus the `fullName` WHMCS derives.
 */
abstract class ReadOnlyModel implements \ArrayAccess
{
    /** @var array */
    private $attributes;

    /** The row's first- and last-name columns (they differ between tblclients and tblusers). */
    abstract protected static function nameColumns(): array;

    public function __construct(array $attributes)
    {
        unset($attributes['password']);
        [$first, $last] = static::nameColumns();
        $this->attributes = $attributes;
        $this->attributes['fullName'] = trim(($attributes[$first] ?? '') . ' ' . ($attributes[$last] ?? ''));
    }

    public function __get(string $name)
    {
        return $this->attributes[$name] ?? null;
    }

    public function __isset(string $name): bool
    {
        return isset($this->attributes[$name]);
    }

    public function offsetExists($offset): bool
    {
        return isset($this->attributes[$offset]);
    }

    #[\ReturnTypeWillChange]
    public function offsetGet($offset)
    {
        return $this->attributes[$offset] ?? null;
    }

    public function offsetSet($offset, $value): void
    {
        throw new \LogicException('read-only');
    }

    public function offsetUnset($offset): void
    {
        throw new \LogicException('read-only');
    }
}
