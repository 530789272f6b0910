"""The statistics unit's desk: a separate web application (`spi desk`) where the people who
feed the statistics sign in with their roles, see what releasing the candidate would change,
and release it with four eyes (an editor prepares, an approver approves). spi/desk/app.py
makes it; the public site (spi/app.py) never holds its routes."""
