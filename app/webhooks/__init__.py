"""Webhooks to partner agencies: a transactional outbox (``outbox``) and its delivery."""
