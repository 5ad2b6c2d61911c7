<?php

namespace WHMCS\User;

/** Light model of a client account (tblclients), like WHMCS's Eloquent model. */
class Client extends \WhmcsHost\ReadOnlyModel
{
    protected static function nameColumns(): array
    {
        return ['firstname', 'lastname'];
    }
}
