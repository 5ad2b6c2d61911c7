<?php

namespace WHMCS\User;

/** Light model of a WHMCS 8 user (a login, tblusers), like WHMCS's Eloquent model. */
class User extends \WhmcsHost\ReadOnlyModel
{
    protected static function nameColumns(): array
    {
        return ['first_name', 'last_name'];
    }
}
