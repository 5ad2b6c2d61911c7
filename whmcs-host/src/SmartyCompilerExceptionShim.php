<?php

/** PHP 8.2-compatible SmartyCompilerException for smarty3 3.1.47 (see SmartyFactory::load). */
class SmartyCompilerException extends SmartyException
{
    public $source = null;
    public $desc = null;
    public $template = null;

    public function __toString()
    {
        return ' --> Smarty Compiler: ' . $this->message . ' <-- ';
    }

    public function __set($name, $value)
    {
        if ($name === 'line') {
            $this->line = (int) $value;
            return;
        }
        throw new \LogicException('unknown property ' . $name);
    }
}
