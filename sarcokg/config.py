"""Settings: every ``SARCOKG_*`` environment variable (and ``.env``), validated once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """SarcoKG configuration (DESIGN.md §9).

    >>> Settings(store=Path("/tmp/s"), _env_file=None).base_iri
    'https://w3id.org/sarcokg/id/'
    """

    model_config = SettingsConfigDict(env_prefix="SARCOKG_", env_file=".env", extra="ignore")

    store: Path = Field(Path("data/store"), description="embedded Oxigraph store folder")
    endpoint: str | None = Field(None, description="remote SPARQL query URL; when set, used instead")
    update_endpoint: str | None = None
    gsp_endpoint: str | None = None
    endpoint_user: str | None = None
    endpoint_password: str | None = None
    base_iri: str = "https://w3id.org/sarcokg/id/"
    token: str | None = Field(None, description="bearer token for writes; none = read-only service")
    query_timeout_s: float = Field(30.0, gt=0, le=120)
    max_query_timeout_s: float = Field(120.0, gt=0)
    max_rows: int = Field(100_000, gt=0)
    max_query_bytes: int = Field(256 * 1024, gt=0)
    max_upload_bytes: int = Field(20 * 1024 * 1024, gt=0)
    max_concurrent_queries: int = Field(8, gt=0)
    host: str = "127.0.0.1"
    port: int = Field(8000, gt=0, lt=65536)
    ontology: Path | None = Field(None, description="ontology Turtle file; default: the bundled one")

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) IRI")
        return value if value.endswith(("/", "#")) else value + "/"

    @field_validator("token")
    @classmethod
    def _token_strong_enough(cls, value: str | None) -> str | None:
        if value is not None and value != "" and len(value) < 8:
            raise ValueError("must be at least 8 characters (or unset for a read-only service)")
        return value or None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings()
