"""Settings, read from the environment (or a .env file): HALL_* and the usual URLs."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

FALLBACK_PUBLIC_URL = "http://127.0.0.1:8000"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALL_", env_file=".env", extra="ignore")

    clock: str = Field(
        default="system",
        description="system (the machine's clock); file:PATH (a clock shared by the processes"
        " of a test); unset (refuse to tell the time)",
    )
    database_url: str = Field(
        default="sqlite:///var/hall.db",
        validation_alias="DATABASE_URL",
        description="SQLite file (default) or postgresql://user@host/db",
    )
    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")
    redis_channel: str = Field(
        default="hall_events", description="pub/sub channel of this installation's hub processes"
    )
    devices_file: Path = Field(
        default=Path("devices.toml"),
        description="the hall's hardware, or a directory holding a file per hall (a city's)",
    )
    public_url: str | None = Field(
        default=None,
        description="base of links printed in QR codes; unset: where `hall serve` listens",
    )
    session_hours: float = Field(default=12.0, description="how long a staff sign-in lasts")
    day_check_seconds: float = Field(default=60.0, description="how often open days are closed")
    recent_service_sample: int = Field(
        default=20, description="services averaged for the wait estimate"
    )
    seq_check_seconds: float = Field(
        default=5.0, description="how often the latest sequence numbers are checked"
    )
    ping_seconds: float = Field(default=10.0, description="websocket heartbeat interval")
    voice_dir: Path = Field(default=Path("var/voice/clips"), description="generated clips")
    voice_override_dir: Path = Field(
        default=Path("var/voice/overrides"), description="a hall's own recordings"
    )
    cookie_secure: bool = Field(default=False, description="set when served over HTTPS")
    rating_timeout_seconds: float = Field(
        default=60.0,
        description="an unanswered rating request closes as not rated after this, in halls"
        " that set no rating_timeout_seconds of their own",
    )

    @property
    def ticket_base_url(self) -> str:
        """The base of the links on tickets (``hall serve`` and ``hall demo`` set
        HALL_PUBLIC_URL to where they listen when it is unset)."""
        return (self.public_url or FALLBACK_PUBLIC_URL).rstrip("/")

    @field_validator("clock")
    @classmethod
    def _known_clock(cls, value: str) -> str:
        from server.clock import clock_from_spec

        clock_from_spec(value)
        return value
