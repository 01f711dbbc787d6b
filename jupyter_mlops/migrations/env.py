"""Alembic environment: runs migrations on the engine handed over by ``db.migrate``."""

from alembic import context

from jupyter_mlops.db import VERSION_TABLE, Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
