"""Claim definitions, one module per claim family; importing a module registers its claims."""
