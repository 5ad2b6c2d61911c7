<?php

namespace WHMCS\Database;

/** WHMCS exposes Laravel's Capsule manager under this name; the stand-in uses Debian's illuminate/database. */
class Capsule extends \Illuminate\Database\Capsule\Manager
{
}
