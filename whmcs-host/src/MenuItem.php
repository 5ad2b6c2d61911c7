<?php

namespace WHMCS\View\Menu;

/** The subset of the WHMCS menu tree that hooks use: add, get, remove, set and list children. */
class Item
{
    /** @var string */
    private $name;
    /** @var string */
    private $label;
    /** @var string */
    private $uri;
    /** @var int */
    private $order;
    /** @var string */
    private $icon;
    /** @var array<string, Item> */
    private $children = [];

    public function __construct(string $name, array $options = [])
    {
        $this->name = $name;
        $this->label = (string) ($options['label'] ?? $name);
        $this->uri = (string) ($options['uri'] ?? '');
        $this->order = (int) ($options['order'] ?? 100);
        $this->icon = (string) ($options['icon'] ?? '');
    }

    public function addChild(string $name, array $options = []): Item
    {
        return $this->children[$name] = new Item($name, $options);
    }

    public function getChild(string $name): ?Item
    {
        return $this->children[$name] ?? null;
    }

    public function removeChild(string $name): Item
    {
        unset($this->children[$name]);
        return $this;
    }

    public function hasChildren(): bool
    {
        return $this->children !== [];
    }

    /** @return list<Item> ordered by `order` */
    public function getChildren(): array
    {
        $children = array_values($this->children);
        usort($children, static function (Item $a, Item $b): int {
            return $a->order <=> $b->order;
        });
        return $children;
    }

    public function getName(): string { return $this->name; }
    public function getLabel(): string { return $this->label; }
    public function getUri(): string { return $this->uri; }
    public function getOrder(): int { return $this->order; }
    public function getIcon(): string { return $this->icon; }
    public function setLabel(string $label): Item { $this->label = $label; return $this; }
    public function setUri(string $uri): Item { $this->uri = $uri; return $this; }
    public function setOrder(int $order): Item { $this->order = $order; return $this; }
    public function setIcon(string $icon): Item { $this->icon = $icon; return $this; }
}
