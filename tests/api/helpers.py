"""Reading the API in tests: a token for a user, a GET with it, and every page of a list."""

from talks.api.tokens import create_token

API = "/api/v1"


def token_for(user, days: int = 30) -> str:
    return create_token(user=user, name="tests", days=days).raw


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def api_get(client, path: str, token: str | None = None, **params):
    headers = bearer(token) if token else {}
    return client.get(f"{API}{path}", params, headers=headers)


def walk(client, path: str, token: str, limit: int = 25, **params) -> list[dict]:
    """Every item of a list, following next_cursor to the end."""
    items, cursor = [], None
    while True:
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = api_get(client, path, token, **query)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
