"""OpenID Connect sign-in (provider.py) and its URLs (urls.py, included by allauth)."""
