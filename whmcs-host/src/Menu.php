<?php

/** WHMCS's Menu facade, reduced to context('client'). */
class Menu
{
    public static function context(string $key)
    {
        if ($key === 'client') {
            return (new \WHMCS\Authentication\CurrentUser())->client();
        }
        return null;
    }
}
