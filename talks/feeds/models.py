"""Secret feed addresses: feed readers cannot sign in, so each user's feeds live under a key."""

from django.conf import settings
from django.db import models


class FeedKey(models.Model):
    """A user's feed nonce, stored once they rotate their address (talks.feeds.keys). The
    address also holds an HMAC made with the SECRET_KEY, so the database alone cannot rebuild
    it. Rotating replaces the nonce: every address made with the old one stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_key"
    )
    nonce = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Feed key of {self.user}"
