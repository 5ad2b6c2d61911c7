<?php

namespace WHMCS\User;

/** Light model of a WHMCS 8 user (a login, tblusers): properties and array access, never the password hash. */
class User implements \ArrayAccess
{
    /** @var array */
    private $attributes;

    public function __construct(array $attributes)
    {
        unset($attributes['password']);
        $this->attributes = $attributes;
        $this->attributes['fullName'] = trim(($attributes['first_name'] ?? '') . ' ' . ($attributes['last_name'] ?? ''));
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
