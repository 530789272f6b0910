"""The contract between the writer (etl/) and the readers (store/): what the published
database holds (schema.py) and how a period is written in it (periods.py).

Both sides import this package and it imports neither, so the shape of the database is
declared once: the ETL writes it, the read layer checks it on open.
"""
