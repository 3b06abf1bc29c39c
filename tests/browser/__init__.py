"""The browser tests (a package, so its conftest and the tests' own are two modules)."""
