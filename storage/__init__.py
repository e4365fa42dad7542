"""SQLAlchemy 2.0 async storage: engines, tables, repositories, unit of work, migrations."""
