"""Accounts: sign-in (local passwords, OpenID Connect), roles by domain, the idle timeout and the checks
that keep sign-in safe (secret key, lockout pages).

What lives here may import Django and ``dc43_portal.contracts.lifecycle`` (the pure rules); the contracts
app, the API and the admin import ``dc43_portal.accounts.roles`` to learn what a user may do where.
It never imports the stores, the services or the views of other apps.
"""
