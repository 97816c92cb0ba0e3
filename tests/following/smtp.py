"""A real SMTP server in its own process for tests: aiosmtpd on 127.0.0.1, storing each message
it receives in a Maildir that the test then reads and parses."""

import mailbox
import subprocess
import sys
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from tests.jobs.helpers import free_port, wait_until


class SmtpServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> "SmtpServer":
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._listening, timeout=15, what="the SMTP server to listen")
        return self

    def _listening(self) -> bool:
        import socket

        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)

    def messages(self) -> list[EmailMessage]:
        if not (self.folder / "new").exists():
            return []
        box = mailbox.Maildir(self.folder, factory=None, create=False)
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(box.get_bytes(key)) for key in sorted(box.keys())]

    def wait_for_messages(self, count: int, timeout: float = 60) -> list[EmailMessage]:
        wait_until(lambda: len(self.messages()) >= count, timeout=timeout, what="email")
        time.sleep(0.2)
        return self.messages()

    def mailer(self) -> dict:
        """MAILERS setting for sending to this server."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 10},
            }
        }
