"""Entities: canonical actors, people with roles, and the entity tables."""
