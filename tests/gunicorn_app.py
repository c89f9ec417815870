"""The smallest WSGI application: what tests/test_gunicorn.py serves with the project's gunicorn settings."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
