"""The local database: the one place that opens it, migrations, repositories, change log, search, audit."""
