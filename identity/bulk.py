"""Plain multi-row INSERTs into the vault for batches of 100,000 rows.

The ORM's bulk_create spends most of its time composing SQL for each row; these helpers prepare
each value with the field's own conversion and hand whole batches to the driver.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django.db import connections, models

from identity.routers import VAULT_DB

BATCH = 5000


def chunks[T](items: Sequence[T], size: int = 900) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(model: type[models.Model], field_names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Inserts rows of values, in the order of `field_names`, in one statement per batch."""
    if not rows:
        return
    connection = connections[VAULT_DB]
    quote = connection.ops.quote_name
    fields: list[models.Field] = []
    for name in field_names:
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)
        fields.append(field)
    columns = ", ".join(quote(str(field.get_attname_column()[1])) for field in fields)
    # Strings, bytes and whole numbers go to the driver as they are; other types take the field's conversion.
    converters = [
        None
        if isinstance(field, models.CharField | models.BinaryField | models.ForeignKey | models.IntegerField)
        else field
        for field in fields
    ]
    placeholders = ", ".join(["%s"] * len(fields))
    statement = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for batch in chunks(rows, BATCH):
            cursor.executemany(
                statement,
                [
                    [
                        value if convert is None else convert.get_db_prep_save(value, connection)
                        for convert, value in zip(converters, row, strict=True)
                    ]
                    for row in batch
                ],
            )
