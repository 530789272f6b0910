"""The Dash dashboard and the HTTP service built on the published database."""
