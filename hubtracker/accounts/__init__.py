"""Signing in and the account area: local accounts with MFA, OpenID Connect, sign-in lockouts."""
