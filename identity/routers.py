"""Keeps the identity vault's models in their own database, and everything else out of it."""

from typing import Any

from django.apps import apps

VAULT_DB = "vault"


def _in_vault(model: Any) -> bool:
    return bool(getattr(model, "vault_model", False))


def _current_model(app_label: str, model_name: str | None, hints: dict[str, Any]) -> Any:
    # Migrations pass historical models, which lose class attributes such as `vault_model`,
    # so the decision is taken on the model class as the code defines it today.
    if model_name:
        try:
            return apps.get_model(app_label, model_name)
        except LookupError:
            pass
    return hints.get("model")


class VaultRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return VAULT_DB if _in_vault(model) else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return VAULT_DB if _in_vault(model) else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        if _in_vault(type(obj1)) != _in_vault(type(obj2)):
            return False
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if "vault" in hints:
            # RunPython/RunSQL operations that belong to the vault say so with hints={"vault": True}.
            return (db == VAULT_DB) == bool(hints["vault"])
        model = _current_model(app_label, model_name, hints)
        if model is not None:
            return (db == VAULT_DB) == _in_vault(model)
        # Operations without a model (RunSQL, RunPython) run on the default database only.
        return db != VAULT_DB
