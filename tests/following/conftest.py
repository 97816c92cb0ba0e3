import pytest

from tests.following.smtp import SmtpServer


@pytest.fixture
def smtp_server(tmp_path):
    server = SmtpServer(tmp_path / "maildir").start()
    yield server
    server.stop()
