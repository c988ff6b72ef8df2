"""The one settings object: read from CORROBORATE_* environment variables and `.env`.

Built at the edge (CLI, web app) and passed down as plain values; services
never read the environment themselves.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Everything Corroborate reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="CORROBORATE_", env_file=".env", extra="ignore")

    passphrase: SecretStr | None = Field(default=None, description="case passphrase for non-interactive use")
    key_file: Path | None = Field(default=None, description="file whose first line is the case passphrase")
    session: SecretStr | None = Field(default=None, description="token printed by `corroborate unlock`")
    session_dir: Path | None = Field(default=None, description="where unlock sessions are kept")
    trust_file: Path | None = Field(
        default=None,
        description="your trust file: pinned case signing keys and the audit head you saw "
        "(default: $XDG_CONFIG_HOME/corroborate/trust.json or ~/.config/corroborate/trust.json)",
    )
    session_minutes: int = Field(default=30, ge=1, le=24 * 60, description="how long `unlock` lasts")
    user: str | None = Field(default=None, description="user name on stores that have user accounts")
    password: SecretStr | None = Field(default=None, description="that user's password (non-interactive use)")
    totp: str | None = Field(default=None, description="current one-time code, for users with a second factor")
    new_passphrase: SecretStr | None = Field(
        default=None, description="the new passphrase for `rekey` (non-interactive use)"
    )
    new_password: SecretStr | None = Field(
        default=None, description="password of a user being added (non-interactive use)"
    )
    backup_passphrase: SecretStr | None = Field(
        default=None, description="passphrase of backup files (default: the case passphrase)"
    )

    def passphrase_value(self) -> str | None:
        """The passphrase from CORROBORATE_PASSPHRASE or the key file, if either is set."""
        if self.passphrase is not None:
            return self.passphrase.get_secret_value()
        if self.key_file is not None:
            lines = self.key_file.read_text(encoding="utf-8").splitlines()
            return lines[0] if lines else ""
        return None
