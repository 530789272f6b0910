"""`spi`: the command (cli.py: build, validate, serve, publish) and the web application
that composes the dashboard and the open-data service on one server (app.py).

The only package that imports both `dashboard` and `api`; they import `store` and never
each other, and `etl` imports neither.
"""
