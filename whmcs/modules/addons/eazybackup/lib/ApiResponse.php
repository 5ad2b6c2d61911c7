<?php

namespace WHMCS\Module\Addon\Eazybackup;

if (!defined('WHMCS')) {
    die('This file cannot be accessed directly');
}

/** What the Rust API answered, already normalised: an HTTP status and a JSON object. */
final class ApiResponse
{
    /** @var int */
    public $status;
    /** @var array */
    public $body;

    public function __construct(int $status, array $body)
    {
        $this->status = $status;
        $this->body = $body;
    }

    public static function failure(int $status, string $code, string $message): self
    {
        return new self($status, ['error' => ['code' => $code, 'message' => $message]]);
    }
}
