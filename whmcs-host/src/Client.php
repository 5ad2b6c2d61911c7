<?php

namespace WHMCS\User;

/** Light model of a client account: properties and array access, like WHMCS's Eloquent model. */
class Client implements \ArrayAccess
{
    /** @var array */
    private $attributes;

    public function __construct(array $attributes)
    {
        unset($attributes['password']);
        $this->attributes = $attributes;
        $this->attributes['fullName'] = trim(($attributes['firstname'] ?? '') . ' ' . ($attributes['lastname'] ?? ''));
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
