"""Hall domain rules in plain Python: no Flask, SQLAlchemy, pydantic or Qt imports here."""
