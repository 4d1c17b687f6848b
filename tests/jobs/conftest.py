from tests.nominations.conftest import plan  # noqa: F401  (the nominations' plan fixture)
