"""Pydantic models of the 200 answers, by area: they describe each answer in the OpenAPI
document, and ``response_check`` holds every answer the test suite sees to them."""
